"""Technical services: pulling actions."""
