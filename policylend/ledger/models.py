"""The books: chart of accounts, journal entries and lines, periods and month-end snapshots.

Amounts are signed whole dong: a debit is positive, a credit negative, and every entry's lines sum
to zero. Posted rows are never updated or deleted — triggers on both databases refuse it
(migration 0002) — a correction is a reversing entry.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class Account(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_hi = models.CharField(_("name (Hindi)"), max_length=160)
    type = models.CharField(_("type"), max_length=10, choices=AccountType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Header accounts group others and take no postings.
    is_postable = models.BooleanField(_("accepts postings"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Memorandum (off-balance) accounts, such as written-off loans under monitoring.
    off_balance = models.BooleanField(_("off-balance"), default=False)
    # The loan programme a loans-receivable account belongs to (domain.md §5 codes).
    programme_code = models.CharField(_("programme"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        language = (get_language() or "vi").split("-")[0]
        return getattr(self, f"name_{language}", None) or self.name_vi

    def get_additional_data(self):
        return {"unit_path": ""}


class EntryKind(models.TextChoices):
    MANUAL = "manual", _("Manual voucher")
    REVERSAL = "reversal", _("Reversal")
    OPENING_BALANCE = "opening_balance", _("Opening balance")
    CASH_TRANSFER = "cash_transfer", _("Cash transfer")
    DISBURSEMENT = "disbursement", _("Disbursement")
    INTEREST_ACCRUAL = "interest_accrual", _("Interest accrual")
    INTEREST_COLLECTION = "interest_collection", _("Interest collected")
    PRINCIPAL_REPAYMENT = "principal_repayment", _("Principal repaid")
    OVERDUE_TRANSFER = "overdue_transfer", _("Transfer to overdue")
    FREEZE = "freeze", _("Debt freeze")
    WRITE_OFF = "write_off", _("Write-off")
    SAVINGS_DEPOSIT = "savings_deposit", _("Savings deposit")
    SAVINGS_WITHDRAWAL = "savings_withdrawal", _("Savings withdrawal")
    SAVINGS_INTEREST = "savings_interest", _("Savings interest")
    GROUP_COMMISSION = "group_commission", _("Group commission")
    ENTRUSTMENT_FEE = "entrustment_fee", _("Entrustment fee")
    COLLECTION_SHEET = "collection_sheet", _("Collection sheet")
    CAMPAIGN_CONTRIBUTION = "campaign_contribution", _("Campaign contribution")
    CAMPAIGN_PAYMENT = "campaign_payment", _("Campaign support paid")


class JournalEntry(models.Model):
    branch = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    value_date = models.DateField(_("value date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=EntryKind.choices)
    memo = models.CharField(_("memo"), max_length=300)
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    # SHA-256 of the entry's content: the same key with other content is refused, never replayed.
    content_hash = models.CharField(max_length=64)
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A OneToOne link: an entry can be reversed once, and the database says so too.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-value_date", "-id"]
        indexes = [models.Index(fields=["branch", "value_date"])]

    def __str__(self):
        return f"#{self.pk} {self.value_date:%d/%m/%Y} {self.memo}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines"
    )
    # Copied from the entry (both are immutable) so month sums and partitions need no join.
    value_date = models.DateField(_("value date"))
    # Signed whole dong: debit > 0, credit < 0, never 0.
    amount = models.BigIntegerField(_("amount"))
    # Sub-ledger references. Loans, savings accounts, campaigns and groups arrive with later
    # apps; their columns are here already so the journal never needs rewriting.
    office = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("transaction office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_ref = models.BigIntegerField(_("group"), null=True, blank=True)
    loan_ref = models.BigIntegerField(_("loan"), null=True, blank=True, db_index=True)
    savings_account_ref = models.BigIntegerField(
        _("savings account"), null=True, blank=True, db_index=True
    )
    campaign_ref = models.BigIntegerField(_("campaign"), null=True, blank=True)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "id"]
        indexes = [
            models.Index(fields=["branch", "value_date"]),
            models.Index(fields=["office", "value_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0), name="journal_line_amount_not_zero"
            ),
        ]

    def __str__(self):
        return f"{self.account_id} {self.amount:+d}"

    @property
    def debit(self) -> int:
        return self.amount if self.amount > 0 else 0

    @property
    def credit(self) -> int:
        return -self.amount if self.amount < 0 else 0


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AccountingPeriod(models.Model):
    """A month of a branch's books. Months that were never closed are simply open: a row exists
    once a close has been written."""

    branch = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    status = models.CharField(_("status"), max_length=6, choices=PeriodStatus.choices)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["branch", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="one_period_per_branch_month"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y}"


class BalanceSnapshot(models.Model):
    """A month-end balance per account and sub-ledger, written when the month is closed.

    Reports of past dates start here and add the lines after it, instead of summing years of
    lines. Only non-zero balances are stored."""

    period = models.ForeignKey(AccountingPeriod, on_delete=models.PROTECT, related_name="snapshots")
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        "organisation.OrganisationUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    association = models.ForeignKey(
        "associations.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_ref = models.BigIntegerField(null=True, blank=True)
    loan_ref = models.BigIntegerField(null=True, blank=True)
    savings_account_ref = models.BigIntegerField(null=True, blank=True)
    campaign_ref = models.BigIntegerField(null=True, blank=True)
    balance = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["period", "account"]),
            models.Index(fields=["period", "office", "account"]),
        ]

    def __str__(self):
        return f"{self.period_id} {self.account_id} {self.balance:+d}"
