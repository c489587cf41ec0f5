"""Staff pages of the reports, under ``/staff/reports/``: the list, then one page per report."""

from django.urls import path

from .views import pages

app_name = "reports"

urlpatterns = [
    path("", pages.index, name="index"),
    *[path(f"{slug}/", view, name=slug) for slug, view in pages.VIEWS.items()],
]
