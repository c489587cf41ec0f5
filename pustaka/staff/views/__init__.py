"""The staff site's shell: ``home`` (the staff home with each role's figures)."""
