"""Technical services: stocktake pages."""

urlpatterns = []
