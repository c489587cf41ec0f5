"""Public catalogue pages (to be completed)."""

from django.shortcuts import render


def home(request):
    return render(request, "opac/base.html", {})


def search(request):
    return render(request, "opac/base.html", {})
