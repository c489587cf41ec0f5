"""Template tags of the staff and public pages."""
