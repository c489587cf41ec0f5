"""Core staff pages (to be completed)."""

from django.shortcuts import render

from pustaka.core.permissions import staff_view


@staff_view("core.view_branch")
def branch_list(request):
    return render(request, "staff/home.html", {})


@staff_view("core.view_auditevent")
def audit_list(request):
    return render(request, "staff/home.html", {})
