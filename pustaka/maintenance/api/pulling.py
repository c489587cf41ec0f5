"""API: pulling."""
