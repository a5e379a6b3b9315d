from .views import changes, origination, servicing

app_name = "loans"

urlpatterns = [*servicing.urlpatterns, *origination.urlpatterns, *changes.urlpatterns]
