"""Patron pages: ``staff`` (patrons, categories, cards, import), ``academic_year`` (classes and the
new academic year) and ``account`` (the patron's own account in the catalogue)."""
