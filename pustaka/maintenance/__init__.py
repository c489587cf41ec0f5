"""Migration history of technical services before they became :mod:`pustaka.technical`."""
