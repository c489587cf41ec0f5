"""Technical services: weeding pages."""

urlpatterns = []
