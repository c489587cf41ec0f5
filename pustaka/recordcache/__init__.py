"""Ready-made serialisations of each record (MARCXML, Dublin Core, OPDS entry), kept by the change log."""
