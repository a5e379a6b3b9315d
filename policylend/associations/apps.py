from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "policylend.associations"
    label = "associations"
    verbose_name = _("Entrusted associations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models  # noqa: F401  (registers the maker–checker kind)

        auditlog.register(models.AssociationUnit)
        auditlog.register(models.EntrustmentContract)
        auditlog.register(models.EntrustmentTerms)
        auditlog.register(models.Inspection)
