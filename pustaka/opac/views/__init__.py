"""The public catalogue's pages: ``catalogue`` (home, search results, the record page and its citations)."""
