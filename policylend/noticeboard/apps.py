from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticeboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "policylend.noticeboard"
    verbose_name = _("Public notice board")
