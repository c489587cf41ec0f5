"""Pages of programs and help requests: ``staff`` (under /staff/) and ``public`` (the public site)."""
