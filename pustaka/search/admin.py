"""No admin for this app."""
