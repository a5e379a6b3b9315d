from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "policylend.fees"
    label = "fees"
    verbose_name = _("Group commissions and entrustment fees")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models  # noqa: F401  (registers the maker–checker kind)

        auditlog.register(models.CommissionTerms)
        auditlog.register(models.CommissionPayment)
        auditlog.register(models.EntrustmentFee)
