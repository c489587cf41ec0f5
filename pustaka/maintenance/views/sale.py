"""Technical services: sale pages."""

urlpatterns = []
