"""Technical services: bindery pages."""

urlpatterns = []
