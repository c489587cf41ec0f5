"""Technical services: sale actions."""
