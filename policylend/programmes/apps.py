from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "policylend.programmes"
    label = "programmes"
    verbose_name = _("Loan programmes")

    def ready(self):
        from auditlog.registry import auditlog

        from . import approval_kinds, models  # noqa: F401  (registers the maker–checker kind)

        auditlog.register(models.Programme)
        auditlog.register(models.ProgrammeTerms)
