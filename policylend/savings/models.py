"""Member savings (domain.md §7): one account per member household, through its group.

The kept balance ``balance`` is changed in the same database transaction as the journal entry that
moves account 4231 for the account; ``verify_ledger`` re-checks it against the lines
(``savings.verification``). Interest is not accrued day by day: it is worked out when credited
(30 June, 31 December, closing) from the account's movements (``savings.interest``), counted from
``interest_counted_from``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policylend.core.rates import RateField


class AccountStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SavingsAccount(models.Model):
    number = models.CharField(_("account number"), max_length=20, unique=True)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="savings_accounts",
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("savings-and-loan group"),
        on_delete=models.PROTECT,
        related_name="savings_accounts",
    )
    # Scope columns copied from the household (like a loan's).
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=6, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    # The deposit the member usually brings to the leader each month (whole dong).
    monthly_plan = models.BigIntegerField(_("monthly deposit plan"), default=0)
    annual_rate = RateField(_("annual rate"))
    # Kept balance (whole dong) = − Σ the account's lines on 4231.
    balance = models.BigIntegerField(_("balance"), default=0)
    # Interest has been credited for every day before this one.
    interest_counted_from = models.DateField(_("interest counted from"))
    last_transaction_on = models.DateField(_("last transaction"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("savings account")
        verbose_name_plural = _("savings accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="open"),
                name="savings_one_open_account_per_household",
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="savings_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(monthly_plan__gte=0), name="savings_plan_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"]),
            models.Index(fields=["branch", "status"]),
        ]

    def __str__(self):
        return self.number


class SavingsTransactionKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    INTEREST = "interest", _("Interest credited")
    LOAN_INTEREST_PAYMENT = "loan_interest_payment", _("Loan interest paid from savings")
    CLOSING = "closing", _("Closing payout")
    REVERSAL = "reversal", _("Reversal")


class SavingsTransaction(models.Model):
    account = models.ForeignKey(
        SavingsAccount, on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SavingsTransactionKind.choices)
    value_date = models.DateField(_("value date"))
    # Signed change of the balance: + deposit, interest; − withdrawal, payment, closing.
    amount = models.BigIntegerField(_("amount"))
    entry = models.ForeignKey(
        "ledger.JournalEntry", on_delete=models.PROTECT, related_name="savings_transactions"
    )
    # For a loan-interest payment: the loan paid.
    loan = models.ForeignKey(
        "loans.Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For an interest credit: the last day of the half-year (or the closing day).
    period_end = models.DateField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("savings transaction")
        verbose_name_plural = _("savings transactions")
        ordering = ["value_date", "id"]
        indexes = [models.Index(fields=["account", "value_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period_end"],
                condition=Q(kind="interest"),
                name="savings_interest_once_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value_date:%d/%m/%Y} {self.amount}"
