"""OAI-PMH 2.0 data provider (``/oai``): an adapter over the catalogue, no models of its own."""
