"""Holdings pages: ``staff`` (items, the item page, its moves)."""
