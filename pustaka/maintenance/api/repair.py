"""API: repair."""
