"""The entrusted associations (domain.md §2). The foundation needs them for users' scope and for
the ledger's sub-ledger references; their units and contracts come with the registers."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Association(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        language = (get_language() or "vi").split("-")[0]
        return getattr(self, f"name_{language}", None) or self.name_vi
