"""Technical-services API, one module per resource; importing them registers their routers."""

from . import bindery, processing, pulling, repair, sale, serials, stocktake, supervision  # noqa: F401
