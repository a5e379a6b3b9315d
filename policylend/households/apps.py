from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "policylend.households"
    label = "households"
    verbose_name = _("Households")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, receivers  # noqa: F401 (receivers: households follow their village)

        auditlog.register(models.Household, exclude_fields=["search_text"])
        # The national ID is audited as a change, never as its value: masked in the log the way
        # every page masks it ("•••••••• 1234"), not auditlog's default (the last half shown).
        auditlog.register(
            models.Person,
            exclude_fields=["search_name"],
            mask_fields=["national_id"],
            mask_callable="policylend.households.rules.audit_mask",
        )
        auditlog.register(models.Classification)
