"""Technical services: repair actions."""
