"""The loan programme catalogue (domain.md §5): each programme and its effective-dated terms.

A change of terms is a new ``ProgrammeTerms`` row from a date (maker–checker); rows are never
edited. A loan keeps the version it was disbursed under unless a later version says it applies
to existing loans (social housing 5.4 % from 10/10/2025).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policylend.core.rates import RateField


class Channel(models.TextChoices):
    GROUP = "group", _("Through a group, unsecured")
    GROUP_OR_DIRECT = "group_or_direct", _("Through a group or direct")
    DIRECT = "direct", _("Direct")
    HOUSEHOLD_VIA_GROUP = "household_via_group", _("To the household, through a group")
    SECURED = "secured", _("Secured by the house")


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")


class RateBasis(models.TextChoices):
    FIXED = "fixed", _("Fixed rate")
    # "125 % of the poor-household rate": annual rate = the poor programme's rate × factor.
    POOR_RATE_MULTIPLE = "poor_rate_multiple", _("A multiple of the poor-household rate")


class AmountBasis(models.TextChoices):
    HOUSEHOLD = "household", _("per household")
    WORKER = "worker", _("per worker")
    STUDY_MONTH = "study_month", _("per month of study")
    FACILITY = "facility", _("per facility")
    CONTRACT = "contract", _("share of the contract")


class RepaymentMode(models.TextChoices):
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal instalments")
    AFTER_COURSE = "after_course", _("From 12 months after the course")
    LUMP_SUM = "lump_sum", _("Lump sum at maturity")


class ProgrammeField(models.TextChoices):
    """Extra fields a programme's application asks for (domain.md §5)."""

    WORKERS = "workers", _("Workers whose jobs the loan creates or keeps")
    SCHOOL = "school", _("School")
    COURSE = "course", _("Course")
    COURSE_END = "course_end", _("Course ends on")
    STUDY_MONTHS = "study_months", _("Months of study")
    CONTRACT_NUMBER = "contract_number", _("Contract number")
    EMPLOYER = "employer", _("Employer")
    COUNTRY = "country", _("Country")
    FACILITIES = "facilities", _("Facilities (water, sanitation)")
    CONTRACT_VALUE = "contract_value", _("Contract value")


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_hi = models.CharField(_("name (Hindi)"), max_length=160)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    # Subset of FundingSource values, e.g. ["central", "local"].
    funding_sources = models.JSONField(_("funding sources"), default=list)
    # Subset of ProgrammeField values the application must fill.
    extra_fields = models.JSONField(_("programme fields"), default=list, blank=True)
    is_active = models.BooleanField(_("open for new loans"), default=True)

    class Meta:
        verbose_name = _("loan programme")
        verbose_name_plural = _("loan programmes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        language = (get_language() or "vi").split("-")[0]
        return getattr(self, f"name_{language}", None) or self.name_vi


class ProgrammeTerms(models.Model):
    """One version of a programme's terms, in force from ``effective_from`` until the next."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="terms"
    )
    effective_from = models.DateField(_("in force from"))
    rate_basis = models.CharField(
        _("rate basis"), max_length=20, choices=RateBasis.choices, default=RateBasis.FIXED
    )
    # FIXED: the annual rate as a fraction (0.066). POOR_RATE_MULTIPLE: the factor (1.25).
    annual_rate = RateField(_("annual rate"), null=True, blank=True)
    rate_factor = RateField(_("factor of the poor-household rate"), null=True, blank=True)
    overdue_factor = RateField(_("overdue rate as a share of the loan's rate"), default=1.3)
    amount_max = models.BigIntegerField(_("maximum amount"))
    amount_basis = models.CharField(
        _("maximum per"), max_length=12, choices=AmountBasis.choices, default=AmountBasis.HOUSEHOLD
    )
    # With the basis "contract": the share of the contract's value that may be lent (0.8 is
    # 80 %); ``amount_max`` still caps the loan.
    amount_share = RateField(_("share of the contract value"), null=True, blank=True)
    term_months_max = models.PositiveSmallIntegerField(_("maximum term (months)"))
    repayment_mode = models.CharField(_("repayment"), max_length=16, choices=RepaymentMode.choices)
    repayment_interval_months = models.PositiveSmallIntegerField(
        _("months between instalments"), default=12
    )
    grace_months = models.PositiveSmallIntegerField(_("grace period (months)"), default=0)
    # ClassificationKind values; a household qualifies with any one of them certified for the
    # year of the application. Empty: no certified list is required.
    eligible_classifications = models.JSONField(
        _("certified lists that qualify"), default=list, blank=True
    )
    # ClassificationKind values that describe an area (e.g. disadvantaged_area) the household
    # must also be in. Empty: anywhere.
    eligible_areas = models.JSONField(_("areas that qualify"), default=list, blank=True)
    applies_to_existing = models.BooleanField(
        _("applies to loans already disbursed"), default=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        verbose_name=_("approved by request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme terms")
        verbose_name_plural = _("programme terms")
        ordering = ["programme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_from"], name="one_terms_version_per_day"
            ),
            models.CheckConstraint(condition=models.Q(amount_max__gt=0), name="terms_amount_max"),
        ]

    def __str__(self):
        return f"{self.programme_id} {self.effective_from:%d/%m/%Y}"
