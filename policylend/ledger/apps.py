from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "policylend.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models  # noqa: F401  (registers the maker–checker kinds)

        auditlog.register(models.Account)
