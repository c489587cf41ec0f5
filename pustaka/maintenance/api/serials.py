"""API: serials."""
