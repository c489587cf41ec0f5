"""Technical services: pulling pages."""

urlpatterns = []
