"""Question pages: ``staff`` (the queue, a question, assign, answer, close) and ``public`` (ask, my questions)."""
