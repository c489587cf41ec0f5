"""Core API routes (to be completed)."""
