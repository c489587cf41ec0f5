"""Technical services: serials pages."""

urlpatterns = []
