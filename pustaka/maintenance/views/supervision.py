"""Technical services: supervision pages."""

urlpatterns = []
