"""Core pages: ``public`` (health, the refusal page), ``staff`` (branches, locations, settings, the
audit trail) and ``users`` (staff accounts and roles)."""
