"""Model fields shared by the apps."""

from django.db import models


class SortKeyField(models.CharField):
    """A text sort key compared byte by byte on every database.

    PostgreSQL databases created with a language collation (en_US, id_ID) ignore spaces and dots
    when comparing, which would scramble keys such as call-number shelf keys; the column gets the
    ``C`` collation there. SQLite compares bytes already.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
