from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "policylend.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.OrganisationUnit)
        auditlog.register(models.TransactionPoint)
