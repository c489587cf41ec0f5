"""API: sale."""
