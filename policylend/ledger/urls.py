from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "ledger"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="ledger:trial_balance")),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("journal/", views.entry_list, name="entry_list"),
    path("journal/new/", views.entry_create, name="entry_create"),
    path("journal/new/line/", views.entry_line, name="entry_line"),
    path("journal/new/totals/", views.entry_totals, name="entry_totals"),
    path("journal/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("journal/<int:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/close/", views.period_close, name="period_close"),
    path("accounts/", views.account_list, name="account_list"),
]
