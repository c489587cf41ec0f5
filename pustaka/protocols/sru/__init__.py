"""SRU 1.2 and 2.0 server (explain, searchRetrieve with CQL) at ``/sru``; an adapter with no models of its own."""
