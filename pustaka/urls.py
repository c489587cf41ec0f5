"""Root URLs: staff pages (each app's ``urls.py`` under ``staff/``), the API, health, the protocols, and the
public site (each app's ``public_urls.py``; the OPAC alone at the root)."""

from django.contrib import admin
from django.urls import include, path

# Each app's API router is registered on import.
import pustaka.accessions.api  # noqa: E402,F401
import pustaka.acquisitions.api  # noqa: E402,F401
import pustaka.authorities.api  # noqa: E402,F401
import pustaka.catalog.api  # noqa: E402,F401
import pustaka.circulation.api  # noqa: E402,F401
import pustaka.clearance.api  # noqa: E402,F401
import pustaka.copycat.api  # noqa: E402,F401
import pustaka.core.api_routes  # noqa: E402,F401
import pustaka.digital.api  # noqa: E402,F401
import pustaka.holdings.api  # noqa: E402,F401
import pustaka.notify.api  # noqa: E402,F401
import pustaka.patrons.api  # noqa: E402,F401
import pustaka.programs.api  # noqa: E402,F401
import pustaka.reference.api  # noqa: E402,F401
import pustaka.reports.api  # noqa: E402,F401
import pustaka.technical.api  # noqa: E402,F401
import pustaka.visitors.api  # noqa: E402,F401
from pustaka.core.api import api
from pustaka.core.views.public import health
from pustaka.protocols.opds.views import root as opds_root

urlpatterns = [
    path("health", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("staff/admin/", admin.site.urls),
    path("staff/", include("pustaka.staff.urls")),
    path("staff/catalog/", include("pustaka.catalog.urls")),
    path("staff/holdings/", include("pustaka.holdings.urls")),
    path("staff/accessions/", include("pustaka.accessions.urls")),
    path("staff/", include("pustaka.core.urls")),  # core/ and users/
    path("staff/technical/", include("pustaka.technical.urls")),
    path("staff/digital/", include("pustaka.digital.urls")),
    path("staff/patrons/", include("pustaka.patrons.urls")),
    path("staff/circulation/", include("pustaka.circulation.urls")),
    path("staff/sip2/", include("pustaka.protocols.sip2.urls")),
    path("staff/reports/", include("pustaka.reports.urls")),
    path("sru", include("pustaka.protocols.sru.urls")),
    path("oai", include("pustaka.protocols.oai.urls")),
    path("opds", opds_root),
    path("opds/", include("pustaka.protocols.opds.urls")),
    path("staff/", include("pustaka.programs.urls")),
    path("staff/", include("pustaka.reference.urls")),
    path("staff/visitors/", include("pustaka.visitors.urls")),
    path("staff/clearance/", include("pustaka.clearance.urls")),
    path("staff/acquisitions/", include("pustaka.acquisitions.urls")),
    path("staff/notices/", include("pustaka.notify.urls")),
    path("staff/authorities/", include("pustaka.authorities.urls")),
    path("staff/copycat/", include("pustaka.copycat.urls")),
    # The public site: every app's public_urls.py; only the OPAC (which carries the program and help pages) at the root.
    path("digital/", include("pustaka.digital.public_urls")),
    path("visitors/", include("pustaka.visitors.public_urls")),
    path("clearance/", include("pustaka.clearance.public_urls")),
    path("account/clearance/", include("pustaka.clearance.account_urls")),
    path("account/suggestions/", include("pustaka.acquisitions.account_urls")),
    path("account/notices/", include("pustaka.notify.account_urls")),
    path("account/", include("pustaka.circulation.public_urls")),
    path("account/", include("pustaka.patrons.public_urls")),
    path("", include("pustaka.opac.public_urls")),
]

handler403 = "pustaka.core.views.public.permission_denied"
