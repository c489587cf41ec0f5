"""Accession register pages: ``staff`` (the register per year, exports, the pattern, corrections)."""
