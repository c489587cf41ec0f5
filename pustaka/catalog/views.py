"""Cataloguing pages (to be completed)."""

from django.shortcuts import render

from pustaka.core.permissions import staff_view


@staff_view("catalog.view_record")
def record_list(request):
    return render(request, "staff/home.html", {})


@staff_view("catalog.import_marc")
def marc_import(request):
    return render(request, "staff/home.html", {})
