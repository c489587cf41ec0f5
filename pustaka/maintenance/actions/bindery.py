"""Technical services: bindery actions."""
