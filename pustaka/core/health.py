"""What ``/health`` reports besides the database: each app adds its own part with :func:`health_part`
(the search index does, from ``search/apps.py``), so core knows no domain app."""

from collections.abc import Callable

#: name → function(is_staff) returning that part of the health answer (a dict)
HEALTH_PARTS: dict[str, Callable[[bool], dict]] = {}


def health_part(name: str):
    """Register ``function(is_staff) -> dict`` as the ``name`` part of the health answer."""

    def register(function):
        HEALTH_PARTS[name] = function
        return function

    return register
