"""Technical services: weeding actions."""
