"""The session calendar (domain.md §8): the public holidays of the country and the sessions a
transaction point held away from its fixed monthly day, with the reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicHoliday(models.Model):
    """A day no session is held (Tết, 30/4, 1/5, 2/9 …): a session falling on it moves to the
    next working day (calendar.session_on)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class SessionMove(models.Model):
    """The session of ``month`` (its first day) at ``point`` is held on ``held_on`` instead of
    the point's fixed day; the latest record for a point and month stands."""

    point = models.ForeignKey(
        "organisation.TransactionPoint",
        verbose_name=_("transaction point"),
        on_delete=models.PROTECT,
        related_name="session_moves",
    )
    month = models.DateField(_("month"))
    held_on = models.DateField(_("held on"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moved session")
        verbose_name_plural = _("moved sessions")
        ordering = ["point", "month"]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="one_move_per_point_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="move_month_first_day"),
        ]

    def __str__(self):
        return f"{self.point_id} {self.month:%m/%Y} → {self.held_on:%d/%m/%Y}"

    def get_additional_data(self):
        return {"unit_path": self.point.commune.path}
