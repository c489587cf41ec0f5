"""Technical-services errors (each workflow adds its own below)."""
