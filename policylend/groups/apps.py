from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "policylend.groups"
    label = "groups"
    verbose_name = _("Savings-and-loan groups")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, receivers  # noqa: F401 (receivers: groups follow their village)

        auditlog.register(models.SavingsGroup, m2m_fields={"villages"})
        auditlog.register(models.GroupMembership)
        auditlog.register(models.BoardTerm)
