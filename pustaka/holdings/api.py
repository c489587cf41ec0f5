"""Holdings API (to be completed)."""
