from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "policylend.users"
    label = "users"
    verbose_name = _("Users and roles")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(
            models.User,
            exclude_fields=["password", "last_login"],
        )
        auditlog.register(models.RolePolicy)

        from . import signals  # noqa: F401
