"""The entrusted associations (domain.md §2): the four associations, their units at province,
office and commune level, the entrustment contracts the bank signs with each unit, and the
inspections their officers make."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policylend.core.rates import RateField


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


class AssociationLevel(models.TextChoices):
    """The association's own levels; the fee split names them (domain.md §2)."""

    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


# The organisation unit kind each association level sits beside.
LEVEL_OF_UNIT_KIND = {
    "branch": AssociationLevel.PROVINCE,
    "office": AssociationLevel.DISTRICT,
    "commune": AssociationLevel.COMMUNE,
}


class AssociationUnit(models.Model):
    """One association at one place: "Hội Nông dân xã Vũ Lăng" beside the commune Vũ Lăng."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="units"
    )
    unit = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        related_name="association_units",
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=AssociationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=160)
    chair_name = models.CharField(_("chair"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("association unit")
        verbose_name_plural = _("association units")
        ordering = ["association__code", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "unit"],
                condition=models.Q(is_active=True),
                name="one_active_association_unit_per_place",
            ),
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self):
        return {"unit_path": self.unit.path}


class EntrustmentTask(models.TextChoices):
    """The tasks an entrustment contract hands to the association (domain.md §2)."""

    COMMUNICATE = "communicate", _("Communicate credit policies")
    FORM_GROUPS = "form_groups", _("Form and supervise savings-and-loan groups")
    REVIEW_MEETINGS = (
        "review_meetings",
        _("Have groups hold loan-review meetings and list applicants"),
    )
    NOTIFY_APPROVALS = "notify_approvals", _("Notify approvals to borrowers")
    CHECK_LOAN_USE = "check_loan_use", _("Check the use of loans with the bank")
    URGE_REPAYMENT = "urge_repayment", _("Urge repayment; have groups collect interest and savings")
    HANDLE_BAD_DEBT = "handle_bad_debt", _("Handle overdue and risk debts")
    TRAIN_LEADERS = "train_leaders", _("Train group leaders")
    ATTEND_SESSIONS = "attend_sessions", _("Take part in the commune transaction session")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class EntrustmentContract(models.Model):
    """The contract the bank (branch or office) signs with an association unit."""

    number = models.CharField(_("contract number"), max_length=40)
    association_unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    bank_unit = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("signed for the bank by"),
        on_delete=models.PROTECT,
        related_name="entrustment_contracts",
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    tasks = models.JSONField(_("entrusted tasks"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrustment contract")
        verbose_name_plural = _("entrustment contracts")
        ordering = ["-valid_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "number"], name="contract_number_per_branch"),
        ]

    def __str__(self):
        return f"{self.number} — {self.association_unit}"

    def get_additional_data(self):
        return {"unit_path": self.association_unit.unit.path}


class EntrustmentTerms(models.Model):
    """The fee terms of a contract from a date (effective-dated; changed by maker–checker).

    Fee = ``fee_rate_monthly`` × the outstanding of the loans in the unit's groups whose interest
    was collected in the month (domain.md §2: 0.045 % a month), split between the association's
    levels in basis points that sum to 10,000 (Youth Union: 300 / 500 / 800 / 8,400)."""

    contract = models.ForeignKey(
        EntrustmentContract, on_delete=models.PROTECT, related_name="terms"
    )
    effective_from = models.DateField(_("effective from"))
    fee_rate_monthly = RateField(_("fee rate a month"))
    split_central_bp = models.PositiveIntegerField(_("central share (basis points)"))
    split_province_bp = models.PositiveIntegerField(_("province share (basis points)"))
    split_district_bp = models.PositiveIntegerField(_("district share (basis points)"))
    split_commune_bp = models.PositiveIntegerField(_("commune share (basis points)"))
    # Reductions for poor quality (domain.md §2, configurable default: none), e.g.
    # [{"overdue_ratio_above": "0.02", "reduce_by": "0.2"}].
    reductions = models.JSONField(_("reductions"), default=list, blank=True)
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("entrustment terms")
        verbose_name_plural = _("entrustment terms")
        ordering = ["contract", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "effective_from"], name="one_terms_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    split_central_bp__gte=0,
                    split_province_bp__gte=0,
                    split_district_bp__gte=0,
                    split_commune_bp__gte=0,
                ),
                name="terms_split_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} from {self.effective_from}"

    def get_additional_data(self):
        return {"unit_path": self.contract.association_unit.unit.path}

    @property
    def split(self) -> list[int]:
        return [
            self.split_central_bp,
            self.split_province_bp,
            self.split_district_bp,
            self.split_commune_bp,
        ]


class InspectionReason(models.TextChoices):
    """Why an item is on a supervision plan (guidance 727/HD-NHCS, domain.md §2)."""

    NEW_LOAN = "new_loan", _("New loan, within 30 days of disbursement")
    NO_TRANSACTION = "no_transaction", _("Loan with no transaction for 3 months or more")
    GROUP_YEARLY = "group_yearly", _("Every group, once a year")
    OLDER_LOAN = (
        "older_loan",
        _("Older loans of the group: nine in ten (three in four in difficult areas)"),
    )


class SupervisionItem(models.Model):
    """One thing an association unit must inspect in a year: a group, or a loan (filled in by the
    loans issue)."""

    association_unit = models.ForeignKey(
        AssociationUnit, on_delete=models.PROTECT, related_name="supervision_items"
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=20, choices=InspectionReason.choices)
    group = models.ForeignKey(
        "groups.SavingsGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_items",
    )
    loan_ref = models.BigIntegerField(_("loan"), null=True, blank=True)
    due_by = models.DateField(_("inspect by"))
    inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_items"
    )

    class Meta:
        verbose_name = _("supervision plan item")
        verbose_name_plural = _("supervision plan")
        ordering = ["year", "due_by"]
        constraints = [
            models.UniqueConstraint(
                fields=["association_unit", "year", "reason", "group"],
                condition=models.Q(loan_ref__isnull=True),
                name="one_plan_item_per_group_reason_year",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.reason} {self.group_id or self.loan_ref}"


class Inspection(models.Model):
    """An inspection made by an association officer: who, when, what was checked, findings."""

    association_unit = models.ForeignKey(
        AssociationUnit,
        verbose_name=_("association unit"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    loan_ref = models.BigIntegerField(_("loan"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"))
    inspector_name = models.CharField(_("inspector"), max_length=120)
    checked = models.JSONField(_("what was checked"), default=list)
    findings = models.TextField(_("findings"), max_length=4000)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self):
        return f"{self.inspected_on} {self.association_unit}"

    def get_additional_data(self):
        return {"unit_path": self.association_unit.unit.path}
