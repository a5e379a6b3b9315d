from .views import urlpatterns

app_name = "fees"

__all__ = ["urlpatterns"]
