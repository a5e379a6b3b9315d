from django.contrib import admin
from django.urls import include, path

from policylend.api.api import api
from policylend.core.views import language_set
from policylend.imports.urls import export_patterns

urlpatterns = [
    path("", include("policylend.core.urls")),
    path("", include("policylend.users.urls")),
    path("organisation/", include("policylend.organisation.urls")),
    path("ledger/", include("policylend.ledger.urls")),
    path("approvals/", include("policylend.approvals.urls")),
    path("households/", include("policylend.households.urls")),
    path("associations/", include("policylend.associations.urls")),
    path("groups/", include("policylend.groups.urls")),
    path("programmes/", include("policylend.programmes.urls")),
    path("loans/", include("policylend.loans.urls")),
    path("savings/", include("policylend.savings.urls")),
    path("imports/", include("policylend.imports.urls")),
    path("sessions/", include("policylend.transaction_sessions.urls")),
    path("public/", include("policylend.noticeboard.urls")),
    path("fees/", include("policylend.fees.urls")),
    path("exports/", include(export_patterns)),
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
