from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransactionSessionsConfig(AppConfig):
    name = "policylend.transaction_sessions"
    label = "transaction_sessions"
    verbose_name = _("Transaction sessions")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models
        from .approval_kinds import (
            closing,  # noqa: F401
            sheet_reversal,  # noqa: F401
        )

        auditlog.register(models.PublicHoliday)
        auditlog.register(models.SessionMove)
        auditlog.register(models.TransactionSession, m2m_fields={"team"})
        auditlog.register(models.CollectionSheet)
        auditlog.register(models.BriefingMinutes)
