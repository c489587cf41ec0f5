"""Template tags of technical services."""
