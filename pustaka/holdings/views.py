"""Item pages (to be completed)."""

from django.shortcuts import render

from pustaka.core.permissions import staff_view


@staff_view("holdings.view_item")
def item_list(request):
    return render(request, "staff/home.html", {})
