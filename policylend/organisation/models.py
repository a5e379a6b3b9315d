"""The organisation tree: branch → transaction office → commune → village, and commune points.

One table holds every unit (as Fineract's office hierarchy does) with a materialised ``path`` of ids
("/1/7/42/"), so "this unit and everything under it" is one indexed prefix match. The tree changes
over time (communes merge, villages move): ``UnitParentPeriod`` keeps what belonged where on any
date, and the current ``parent``/``path`` always describe today's tree.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from policylend.core.text import fold


class UnitKind(models.TextChoices):
    BRANCH = "branch", _("Province branch")
    OFFICE = "office", _("Transaction office")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


# Which kind sits under which: the only parent each kind may have.
PARENT_KIND = {
    UnitKind.BRANCH: None,
    UnitKind.OFFICE: UnitKind.BRANCH,
    UnitKind.COMMUNE: UnitKind.OFFICE,
    UnitKind.VILLAGE: UnitKind.COMMUNE,
}

# Code formats of the core system (domain.md §1).
CODE_PATTERN = {
    UnitKind.BRANCH: (r"^\d{3,4}$", _("3 or 4 digits")),
    UnitKind.OFFICE: (r"^\d{4,6}$", _("4 to 6 digits")),
    UnitKind.COMMUNE: (r"^\d{6}$", _("6 digits")),
    UnitKind.VILLAGE: (r"^\d{8}$", _("8 digits")),
}


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


class OrganisationUnit(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # The name folded for search ("bac son" finds "Bắc Sơn"), kept in step by save().
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The province branch this unit belongs to (itself for a branch): the distribution key.
    branch = models.ForeignKey(
        "self",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(max_length=100, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"unit_path": self.path}

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UnitParentPeriod(models.Model):
    """``unit`` belonged to ``parent`` from ``valid_from`` until the day before ``valid_to``."""

    unit = models.ForeignKey(
        OrganisationUnit, on_delete=models.PROTECT, related_name="parent_periods"
    )
    parent = models.ForeignKey(
        OrganisationUnit, on_delete=models.PROTECT, related_name="child_periods"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [models.Index(fields=["parent", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="unit_parent_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} in {self.parent_id} from {self.valid_from}"


class TransactionPoint(models.Model):
    """The commune transaction point, with its fixed monthly session day (1–28)."""

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^TXN\d{3,9}$", _("TXN followed by 3 to 9 digits"))],
    )
    name = models.CharField(_("name"), max_length=120)
    commune = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="transaction_points",
    )
    branch = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    session_day = models.PositiveSmallIntegerField(
        _("session day"), validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    address = models.CharField(_("address"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("transaction point")
        verbose_name_plural = _("transaction points")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_day__gte=1) & models.Q(session_day__lte=28),
                name="transaction_point_session_day_1_28",
            ),
            models.UniqueConstraint(
                fields=["commune"],
                condition=models.Q(is_active=True),
                name="one_active_point_per_commune",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_additional_data(self):
        return {"unit_path": self.commune.path}
