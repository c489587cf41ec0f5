"""Technical services: serials actions."""
