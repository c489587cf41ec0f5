"""Technical services: supervision actions."""
