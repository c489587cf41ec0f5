"""Technical-services records are viewed and changed through the staff pages and API only."""
