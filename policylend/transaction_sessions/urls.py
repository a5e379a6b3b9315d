from .views import calendar, sessions, sheets

app_name = "transaction_sessions"
urlpatterns = [*calendar.urlpatterns, *sheets.urlpatterns, *sessions.urlpatterns]
