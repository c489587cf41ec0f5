"""Technical services: repair pages."""

urlpatterns = []
