from .views import calendar

app_name = "transaction_sessions"
urlpatterns = [*calendar.urlpatterns]
