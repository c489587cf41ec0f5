"""API: stocktake."""
