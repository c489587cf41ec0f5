"""API: processing."""
