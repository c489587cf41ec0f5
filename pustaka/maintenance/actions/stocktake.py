"""Technical services: stocktake actions."""
