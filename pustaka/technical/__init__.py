"""Technical services: the work that gets a copy onto its shelf and keeps it there (ARCHITECTURE)."""
