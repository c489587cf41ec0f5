"""Technical services: processing actions."""
