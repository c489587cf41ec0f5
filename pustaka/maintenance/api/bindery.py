"""API: bindery."""
