"""API: supervision."""
