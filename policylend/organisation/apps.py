from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "policylend.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # path and depth are derived from the parent; the parent change itself is recorded.
        auditlog.register(models.OrganisationUnit, exclude_fields=["path", "depth"])
        auditlog.register(models.TransactionPoint)
