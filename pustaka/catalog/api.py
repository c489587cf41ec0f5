"""Catalogue API (to be completed)."""
