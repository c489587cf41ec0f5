"""Digital library API, one module per resource; importing them registers their routers on ``/api/v1/``.

Modules: ``resources`` (/digital-resources), ``files`` (/files). Other modules of the digital library
(licences, usage, checks) add their name to the import line below.
"""

from . import checks, files, licences, resources, usage  # noqa: F401
