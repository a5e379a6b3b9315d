"""Group commissions and entrustment fees (domain.md §2, §3; issue 5).

* CommissionTerms: the rate of a group's authorisation contract from a date (a group's own terms,
  or the branch's default with no group), changed by maker–checker. With none in force the setting
  POLICYLEND_GROUP_COMMISSION_RATE applies.
* CommissionPayment: the commission paid to one group at one session — the interest the leader
  handed over on the session's posted sheets × the rate in force that day.
* EntrustmentFee: the fee of one association unit at one session — the outstanding of the loans
  of its groups whose interest was collected, × the contract's monthly rate, less reductions, split
  between the association's levels; the commune's share is paid in cash at the session, the other
  levels' shares are payable (4611) until transferred.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from policylend.core.rates import RateField


class CommissionTerms(models.Model):
    """The commission rate of a group's authorisation contract (a fraction of the interest the
    leader collected) from ``effective_from``; ``group`` empty: the branch's default."""

    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("savings-and-loan group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission_terms",
    )
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    effective_from = models.DateField(_("effective from"))
    rate = RateField(_("commission rate"))
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commission terms")
        verbose_name_plural = _("commission terms")
        ordering = ["branch", "group", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "group", "effective_from"],
                name="one_commission_terms_per_group_day",
            ),
            models.UniqueConstraint(
                fields=["branch", "effective_from"],
                condition=models.Q(group__isnull=True),
                name="one_default_commission_terms_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0, rate__lte=1), name="commission_rate_fraction"
            ),
        ]

    def __str__(self):
        return f"{self.group_id or 'default'} {self.rate} from {self.effective_from}"

    @property
    def rate_percent(self):
        return (self.rate * 100).normalize()

    def get_additional_data(self):
        return {"unit_path": (self.group.commune if self.group_id else self.branch).path}


class PaymentStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    REVERSED = "reversed", _("Reversed")


class CommissionPayment(models.Model):
    session = models.ForeignKey(
        "transaction_sessions.TransactionSession",
        verbose_name=_("transaction session"),
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("savings-and-loan group"),
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    month = models.DateField(_("month"))
    interest_collected = models.BigIntegerField(_("interest collected"))
    terms = models.ForeignKey(
        CommissionTerms, null=True, on_delete=models.PROTECT, related_name="+"
    )
    rate = RateField(_("commission rate"))
    amount = models.BigIntegerField(_("commission"))
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.PAID
    )
    reversal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group commission")
        verbose_name_plural = _("group commissions")
        ordering = ["-month", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "group"],
                condition=models.Q(status="paid"),
                name="one_commission_per_session",
            )
        ]

    def __str__(self):
        return f"{self.group_id} {self.month:%m/%Y} {self.amount}"

    @property
    def rate_percent(self):
        return (self.rate * 100).normalize()

    def get_additional_data(self):
        return {"unit_path": self.session.commune.path}


class EntrustmentFee(models.Model):
    session = models.ForeignKey(
        "transaction_sessions.TransactionSession",
        verbose_name=_("transaction session"),
        on_delete=models.PROTECT,
        related_name="entrustment_fees",
    )
    association_unit = models.ForeignKey(
        "associations.AssociationUnit",
        verbose_name=_("association unit"),
        on_delete=models.PROTECT,
        related_name="fees",
    )
    contract = models.ForeignKey(
        "associations.EntrustmentContract", on_delete=models.PROTECT, related_name="fees"
    )
    terms = models.ForeignKey(
        "associations.EntrustmentTerms", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    basis_outstanding = models.BigIntegerField(
        _("outstanding of the loans whose interest was collected")
    )
    loans_count = models.PositiveIntegerField(_("loans"))
    rate = RateField(_("fee rate a month"))
    reduction = models.DecimalField(_("reduction"), max_digits=6, decimal_places=4, default=0)
    amount = models.BigIntegerField(_("fee"))
    central_share = models.BigIntegerField(_("central share"))
    province_share = models.BigIntegerField(_("province share"))
    district_share = models.BigIntegerField(_("district share"))
    commune_share = models.BigIntegerField(_("commune share"))
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    transfer_entry = models.OneToOneField(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.PAID
    )
    reversal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrustment fee")
        verbose_name_plural = _("entrustment fees")
        ordering = ["-month", "association_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "association_unit"],
                condition=models.Q(status="paid"),
                name="one_fee_per_session_unit",
            )
        ]

    def __str__(self):
        return f"{self.association_unit_id} {self.month:%m/%Y} {self.amount}"

    def get_additional_data(self):
        return {"unit_path": self.session.commune.path}

    @property
    def rate_percent(self):
        return (self.rate * 100).normalize()

    @property
    def shares(self) -> list[int]:
        return [self.central_share, self.province_share, self.district_share, self.commune_share]

    @property
    def other_levels(self) -> int:
        return self.central_share + self.province_share + self.district_share
