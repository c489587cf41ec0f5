"""Staff patron pages, mounted at ``staff/patrons/`` (namespace ``patrons``): school units and the new
academic year, then the patrons, their categories and cards."""

from django.urls import path

from .views import academic_year, staff

app_name = "patrons"

urlpatterns = [
    # --- School units and the new academic year ----------------------------------------------------------------------
    path("units/", academic_year.unit_list, name="unit_list"),
    path("units/new/", academic_year.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", academic_year.unit_edit, name="unit_edit"),
    path("academic-year/", academic_year.academic_year, name="academic_year"),
    path("academic-year/<int:pk>/undo/", academic_year.academic_year_undo, name="academic_year_undo"),
    # --- Patrons, categories, cards ----------------------------------------------------------------------------------
    path("", staff.patron_list, name="list"),
    path("new/", staff.patron_create, name="create"),
    path("import/", staff.patron_import, name="import"),
    path("cards.pdf", staff.patron_cards, name="cards"),
    path("categories/", staff.category_list, name="category_list"),
    path("categories/new/", staff.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", staff.category_edit, name="category_edit"),
    path("<int:pk>/", staff.patron_detail, name="detail"),
    path("<int:pk>/edit/", staff.patron_edit, name="edit"),
    path("<int:pk>/block/", staff.patron_block, name="block"),
    path("<int:pk>/unblock/", staff.patron_unblock, name="unblock"),
    path("<int:pk>/renew/", staff.patron_renew, name="renew"),
    path("<int:pk>/pin/", staff.patron_pin, name="pin"),
    path("<int:pk>/login/", staff.patron_login, name="login"),
    path("<int:pk>/card.pdf", staff.patron_card, name="card"),
]
