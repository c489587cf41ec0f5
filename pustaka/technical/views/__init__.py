"""Technical-services pages, one module per workflow."""
