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


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSING = "closing", _("Closing, awaiting the controller")
    CLOSED = "closed", _("Closed")


class TransactionSession(models.Model):
    """One monthly session held at a transaction point (domain.md §8): opened by the team on the
    day, closed when its cash book balances to the dong and the controller has checked it."""

    point = models.ForeignKey(
        "organisation.TransactionPoint",
        verbose_name=_("transaction point"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    # Scope columns (the point's commune, its office and branch) for scoped reads.
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    held_on = models.DateField(_("held on"))
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    # The bank's team at the point (credit officer, teller, controller …): logins.
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("session team"), related_name="+", blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # Closing: the cash the team counts and carries to the office, checked by the controller.
    cash_carried = models.BigIntegerField(_("cash carried to the office"), null=True, blank=True)
    closing_approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer_entry = models.OneToOneField(
        "ledger.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("transaction session")
        verbose_name_plural = _("transaction sessions")
        ordering = ["-held_on", "point"]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="one_session_per_point_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="session_month_first_day"
            ),
        ]
        indexes = [models.Index(fields=["office", "held_on"])]

    def __str__(self):
        return f"{self.point.code} {self.held_on:%d/%m/%Y}"

    def get_additional_data(self):
        return {"unit_path": self.commune.path}


class CashRole(models.TextChoices):
    """What a posting did to the point's cash, for the cash book's lines."""

    SHEET = "sheet", _("Collection sheet")
    REPAYMENT = "repayment", _("Repayment")
    DISBURSEMENT = "disbursement", _("Disbursement")
    DEPOSIT = "deposit", _("Savings deposit")
    WITHDRAWAL = "withdrawal", _("Savings withdrawal")
    COMMISSION = "commission", _("Group commission")
    FEE = "fee", _("Entrustment fee")
    REVERSAL = "reversal", _("Reversal")
    TRANSFER = "transfer", _("Cash carried to the office")


class SessionEntry(models.Model):
    """A journal entry that moved the point's cash (1011) during a session: the cash book reads
    the 1011 lines of these entries."""

    session = models.ForeignKey(
        TransactionSession, on_delete=models.PROTECT, related_name="entries"
    )
    entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, related_name="session_link"
    )
    role = models.CharField(_("kind"), max_length=14, choices=CashRole.choices)

    class Meta:
        verbose_name = _("session posting")
        verbose_name_plural = _("session postings")
        ordering = ["session", "entry"]

    def __str__(self):
        return f"{self.session} {self.role} {self.entry_id}"


class SheetStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


class CollectionSheet(models.Model):
    """What one group's leader handed over at a session (and the principal its borrowers paid in
    person), posted as one journal entry. The receipt number is that entry's id."""

    session = models.ForeignKey(
        TransactionSession,
        verbose_name=_("transaction session"),
        on_delete=models.PROTECT,
        related_name="sheets",
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("savings-and-loan group"),
        on_delete=models.PROTECT,
        related_name="collection_sheets",
    )
    entry = models.OneToOneField(
        "ledger.JournalEntry",
        verbose_name=_("posting"),
        on_delete=models.PROTECT,
        related_name="collection_sheet",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    # SHA-256 of the sheet's rows: the same key with other rows is refused, never replayed.
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=8, choices=SheetStatus.choices, default=SheetStatus.POSTED
    )
    handed_over_by = models.CharField(_("handed over by"), max_length=120, blank=True)
    interest_total = models.BigIntegerField(_("interest"), default=0)
    principal_total = models.BigIntegerField(_("principal"), default=0)
    savings_total = models.BigIntegerField(_("savings"), default=0)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    reversal_entry = models.OneToOneField(
        "ledger.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_sheet",
    )
    reversal_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collection sheet")
        verbose_name_plural = _("collection sheets")
        ordering = ["session", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "group"],
                condition=models.Q(status="posted"),
                name="one_posted_sheet_per_group_session",
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.session.held_on:%d/%m/%Y}"

    @property
    def receipt_number(self) -> int:
        return self.entry_id

    @property
    def total(self) -> int:
        return self.interest_total + self.principal_total + self.savings_total

    def get_additional_data(self):
        return {"unit_path": self.session.commune.path}


class CollectionLine(models.Model):
    """One row of a posted sheet: a member's loan (interest and principal paid) and, on the
    household's first row, its savings deposit; with the amounts that were due."""

    sheet = models.ForeignKey(CollectionSheet, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveSmallIntegerField(_("no."))
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    loan = models.ForeignKey(
        "loans.Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    savings_account = models.ForeignKey(
        "savings.SavingsAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interest_due = models.BigIntegerField(default=0)
    principal_due = models.BigIntegerField(default=0)
    savings_expected = models.BigIntegerField(default=0)
    interest = models.BigIntegerField(_("interest"), default=0)
    principal = models.BigIntegerField(_("principal"), default=0)
    savings = models.BigIntegerField(_("savings"), default=0)

    class Meta:
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="one_line_number_per_sheet")
        ]

    def __str__(self):
        return f"{self.sheet_id}/{self.number}"

    @property
    def total(self) -> int:
        return self.interest + self.principal + self.savings


class BriefingMinutes(models.Model):
    """The minutes of the monthly briefing held at the session with the associations, the group
    leaders and the commune authorities (domain.md §8)."""

    session = models.OneToOneField(
        TransactionSession, on_delete=models.PROTECT, related_name="minutes"
    )
    chaired_by = models.CharField(_("chaired by"), max_length=120)
    commune_attendees = models.TextField(_("commune authorities present"), blank=True)
    # [{"association_unit": id, "name": "…", "present": true}, …]
    associations_present = models.JSONField(_("associations present"), default=list)
    # [{"group": id, "leader": "…", "present": true}, …]
    leaders_present = models.JSONField(_("group leaders present"), default=list)
    results = models.TextField(_("results of the session"), blank=True)
    issues_raised = models.TextField(_("issues raised"), blank=True)
    decisions = models.TextField(_("conclusions and tasks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("briefing minutes")
        verbose_name_plural = _("briefing minutes")

    def __str__(self):
        return str(self.session)

    def get_additional_data(self):
        return {"unit_path": self.session.commune.path}
