"""Catalogue pages: ``staff`` (records, MARC import and export, call numbers)."""
