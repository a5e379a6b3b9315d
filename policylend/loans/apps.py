from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "policylend.loans"
    label = "loans"
    verbose_name = _("Loans")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models, receivers, verification  # noqa: F401

        auditlog.register(models.Loan)
        auditlog.register(models.LoanReview)
