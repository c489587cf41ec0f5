"""Every write of the digital library, one module per kind of work (import each from its module).

Importing the package imports every module, so the action registry (:mod:`pustaka.core.registry`)
knows all of them."""

from . import access, collections, ingest, kbart, licences, linkcheck, preservation, resources, seats  # noqa: F401
