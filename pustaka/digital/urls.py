"""Digital-library staff pages, mounted at ``staff/digital/`` (namespace ``digital``): one section per
subject; the views live in ``views/<subject>.py``."""

from django.urls import path

from .views import dashboard, licences, preservation, resources, seats, usage

app_name = "digital"

urlpatterns = [
    # --- The landing page of the digital section ---------------------------------------------------------------------
    path("", dashboard.dashboard, name="dashboard"),
    # --- Preservation: fixity and link checks ------------------------------------------------------------------------
    path("fixity/", preservation.fixity, name="fixity"),
    path("fixity/run/", preservation.fixity_run, name="fixity_run"),
    path("fixity/files/<int:pk>/", preservation.stored_file, name="stored_file"),
    path("fixity/files/<int:pk>/check/", preservation.stored_file_check, name="stored_file_check"),
    path("links/", preservation.links, name="links"),
    path("links/run/", preservation.links_run, name="links_run"),
    path("links/<int:pk>/check/", preservation.link_check_now, name="link_check_now"),
    # --- Resources, files, uploads, collections, KBART ---------------------------------------------------------------
    path("resources/", resources.resource_list, name="resource_list"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/attach/", resources.resource_attach, name="resource_attach"),
    path("resources/<int:pk>/files/<int:link_id>/detach/", resources.resource_detach, name="resource_detach"),
    path("resources/<int:pk>/seats/", resources.seats, name="seats"),
    path("resources/<int:pk>/seats/<int:seat_id>/remove/", resources.seat_remove, name="seat_remove"),
    path("records/<int:record_id>/new/", resources.resource_create, name="resource_create"),
    path("upload/", resources.upload, name="upload"),
    path("upload/<int:file_id>/", resources.upload_catalogue, name="upload_catalogue"),
    path("files/<int:pk>/", resources.file_detail, name="file_detail"),
    path("collections/", resources.collection_list, name="collection_list"),
    path("collections/new/", resources.collection_create, name="collection_create"),
    path("collections/<int:pk>/edit/", resources.collection_edit, name="collection_edit"),
    path("kbart/", resources.kbart, name="kbart"),
    # --- Licences ----------------------------------------------------------------------------------------------------
    path("licences/", licences.licence_list, name="licence_list"),
    path("licences/new/", licences.licence_create, name="licence_create"),
    path("licences/<int:pk>/", licences.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/edit/", licences.licence_edit, name="licence_edit"),
    # --- Lending seats at the desk -----------------------------------------------------------------------------------
    path("seats/lending/", seats.seat_desk, name="seat_desk"),
    path("seats/lending/<int:seat_id>/return/", seats.seat_return, name="seat_return"),
    # --- Usage reports -----------------------------------------------------------------------------------------------
    path("usage/", usage.usage_page, name="usage"),
    path("usage/<slug:report>.csv", usage.usage_csv, name="usage_csv"),
]
