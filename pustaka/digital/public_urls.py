"""Public digital-library URLs (mounted at ``digital/``): files, reader pages, links, covers, my seats.

Files are addressed by resource id and ResourceFile id only; see :mod:`pustaka.digital.views.serve`.
"""

from django.urls import path

from .views import reader, seats_opac, serve

app_name = "digital_public"

urlpatterns = [
    path("<int:resource_id>/files/<int:file_id>/", serve.read_file, name="read_file"),
    path("<int:resource_id>/files/<int:file_id>/download/", serve.download_file, name="download_file"),
    path("<int:resource_id>/cover/<int:file_id>/", serve.cover, name="cover"),
    path("<int:resource_id>/link/", serve.follow_link, name="follow_link"),
    path("<int:resource_id>/read/<int:file_id>/", reader.read, name="read"),
    path("<int:resource_id>/read/<int:file_id>/chapter/<int:number>/", reader.chapter, name="epub_chapter"),
    path("<int:resource_id>/read/<int:file_id>/image/<int:number>/", reader.image, name="epub_image"),
    path("<int:resource_id>/read/<int:file_id>/page/<int:number>/", reader.pdf_page, name="pdf_page"),
    path("<int:resource_id>/read/<int:file_id>/page/<int:number>.png", reader.pdf_page_image, name="pdf_page_image"),
    path("seats/", seats_opac.my_seats, name="my_seats"),
]
