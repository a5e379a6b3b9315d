from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavingsConfig(AppConfig):
    name = "policylend.savings"
    label = "savings"
    verbose_name = _("Member savings")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models, receivers, verification  # noqa: F401

        auditlog.register(models.SavingsAccount)
