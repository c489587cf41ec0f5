"""Technical services: processing pages."""

urlpatterns = []
