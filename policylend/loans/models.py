"""Loans (domain.md §6): the application and its reviews, the loan with its kept balances, its
schedule versions and instalments, its rate history, its status history, the loan transactions
that moved money, and risk-handling dossiers in batches.

Kept balances on ``Loan`` (principal in term / overdue / frozen, interest and penalty receivable)
are updated in the same database transaction as the journal entry that moves them;
``verify_ledger`` re-checks them against the journal lines (``loans.verification``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from policylend.core.rates import RateField


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REVIEWED = "reviewed", _("Reviewed by group and association")
    CERTIFIED = "certified", _("Certified by the commune")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_TERM = "in_term", _("In term")
    OVERDUE = "overdue", _("Overdue")
    FROZEN = "frozen", _("Frozen")
    WRITTEN_OFF = "written_off", _("Written off")
    SETTLED = "settled", _("Settled")


# Statuses in which the loan has been disbursed and still carries debt.
ACTIVE_STATUSES = (LoanStatus.IN_TERM, LoanStatus.OVERDUE, LoanStatus.FROZEN)
APPLICATION_STATUSES = (
    LoanStatus.APPLIED,
    LoanStatus.REVIEWED,
    LoanStatus.CERTIFIED,
    LoanStatus.APPROVED,
)


class Loan(models.Model):
    number = models.CharField(_("contract number"), max_length=20, unique=True)
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    borrower = models.ForeignKey(
        "households.Person",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    group = models.ForeignKey(
        "groups.SavingsGroup",
        verbose_name=_("savings-and-loan group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    association_unit = models.ForeignKey(
        "associations.AssociationUnit",
        verbose_name=_("association unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    # The version the application was checked against; at disbursement, the version it keeps.
    terms = models.ForeignKey(
        "programmes.ProgrammeTerms",
        verbose_name=_("programme terms"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    funding_source = models.CharField(_("funding source"), max_length=10, default="central")
    # Scope columns copied from the household (kept in step like the household's own).
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

    # The application (Form 01/TD).
    amount_requested = models.BigIntegerField(_("amount requested"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    repayment_interval_months = models.PositiveSmallIntegerField(_("months between instalments"))
    purpose = models.CharField(_("purpose"), max_length=300)
    plan = models.TextField(_("plan for using the money"), max_length=4000, blank=True)
    programme_fields = models.JSONField(_("programme fields"), default=dict, blank=True)
    workers = models.PositiveIntegerField(_("workers whose jobs it creates or keeps"), default=0)
    applied_on = models.DateField(_("applied on"))

    # The decision.
    amount_approved = models.BigIntegerField(_("amount approved"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    # Disbursement and terms in force.
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursed_at_point = models.ForeignKey(
        "organisation.TransactionPoint",
        verbose_name=_("disbursed at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    session_day = models.PositiveSmallIntegerField(_("session day"), null=True, blank=True)
    maturity_on = models.DateField(_("maturity (contract)"), null=True, blank=True)
    maturity_extended_on = models.DateField(_("maturity after extension"), null=True, blank=True)
    annual_rate = RateField(_("annual rate"), null=True, blank=True)
    overdue_rate = RateField(_("overdue annual rate"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLIED
    )
    status_changed_on = models.DateField(_("status since"))

    # Kept balances (whole dong), equal to the loan's journal lines.
    principal_in_term = models.BigIntegerField(_("principal in term"), default=0)
    principal_overdue = models.BigIntegerField(_("principal overdue"), default=0)
    principal_frozen = models.BigIntegerField(_("principal frozen"), default=0)
    # Interest receivable (account 3941) = interest_receivable + penalty_receivable.
    interest_receivable = models.BigIntegerField(_("interest receivable"), default=0)
    penalty_receivable = models.BigIntegerField(_("overdue interest receivable"), default=0)
    # The part of interest_receivable posted by the latest month-end accrual and not yet paid;
    # the rest of interest_receivable is arrears (lãi tồn).
    interest_current = models.BigIntegerField(_("current interest"), default=0)
    written_off_principal = models.BigIntegerField(_("principal written off"), default=0)
    written_off_interest = models.BigIntegerField(_("interest written off"), default=0)

    # Interest accrual state: interest for days before ``interest_accrued_from`` that has not
    # been posted yet, in millionths of a dong (rounded half up once, when posted).
    interest_accrued_from = models.DateField(null=True, blank=True)
    interest_pending_micro = models.BigIntegerField(default=0)
    penalty_pending_micro = models.BigIntegerField(default=0)
    # Last day whose interest has been posted (month-end accrual is idempotent per month).
    interest_posted_through = models.DateField(null=True, blank=True)

    last_transaction_on = models.DateField(_("last transaction"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["office", "status"]),
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["group", "status"]),
            models.Index(fields=["programme", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0), name="loan_amount_requested_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(principal_in_term__gte=0)
                & models.Q(principal_overdue__gte=0)
                & models.Q(principal_frozen__gte=0)
                & models.Q(interest_receivable__gte=0)
                & models.Q(penalty_receivable__gte=0),
                name="loan_balances_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def principal_outstanding(self) -> int:
        return self.principal_in_term + self.principal_overdue + self.principal_frozen

    @property
    def interest_arrears(self) -> int:
        return self.interest_receivable - self.interest_current

    def get_additional_data(self):
        return {"unit_path": self.village.path}


class ReviewStage(models.TextChoices):
    GROUP = "group", _("Group review meeting")
    ASSOCIATION = "association", _("Association review")
    COMMUNE = "commune", _("Commune certification")


class ReviewDecision(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    REFUSED = "refused", _("Refused")


class LoanReview(models.Model):
    """One step before approval (domain.md §6.2): who decided, when, and what."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=12, choices=ReviewStage.choices)
    decision = models.CharField(_("decision"), max_length=8, choices=ReviewDecision.choices)
    decided_on = models.DateField(_("decided on"))
    # The group review meeting (a GroupMeeting of kind "review") for the group stage.
    meeting = models.ForeignKey(
        "groups.GroupMeeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan_reviews",
    )
    # Who decided, as the paper says it (the commune official's name and decision number).
    decided_by_name = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loan review")
        verbose_name_plural = _("loan reviews")
        ordering = ["loan", "decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "stage"], name="one_review_per_stage"),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.stage} {self.decision}"

    def get_additional_data(self):
        return {"unit_path": self.loan.village.path}


class ScheduleKind(models.TextChoices):
    INITIAL = "initial", _("At disbursement")
    RESCHEDULE = "reschedule", _("Rescheduled instalment")
    EXTENSION = "extension", _("Extension")
    RISK_EXTENSION = "risk_extension", _("Extension for an objective cause")
    UNFREEZE = "unfreeze", _("Return to repayment after a freeze")


class ScheduleVersion(models.Model):
    """A repayment schedule; a change makes a new version and the earlier ones stay."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="schedule_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("reason"), max_length=16, choices=ScheduleKind.choices)
    effective_on = models.DateField(_("from"))
    is_current = models.BooleanField(default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="schedule_version_number"),
            models.UniqueConstraint(
                fields=["loan"],
                condition=models.Q(is_current=True),
                name="one_current_schedule_per_loan",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} v{self.number}"


class InstalmentStatus(models.TextChoices):
    PENDING = "pending", _("Not yet due")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")


class Instalment(models.Model):
    """A principal instalment with the three due dates the core system keeps (domain.md §6.5)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="instalments")
    schedule = models.ForeignKey(
        ScheduleVersion, on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    principal = models.BigIntegerField(_("principal"))
    due_contract = models.DateField(_("due by contract"))
    due_extended = models.DateField(_("due after extension"), null=True, blank=True)
    due_session = models.DateField(_("collected at session"))
    principal_paid = models.BigIntegerField(_("principal paid"), default=0)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=InstalmentStatus.choices,
        default=InstalmentStatus.PENDING,
    )
    overdue_from = models.DateField(_("overdue from"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="instalment_number"),
            models.CheckConstraint(
                condition=models.Q(principal__gt=0)
                & models.Q(principal_paid__gte=0)
                & models.Q(principal_paid__lte=models.F("principal")),
                name="instalment_amounts",
            ),
        ]
        indexes = [models.Index(fields=["due_session", "status"])]

    def __str__(self):
        return f"{self.loan_id} #{self.number} {self.principal}"

    @property
    def principal_unpaid(self) -> int:
        return self.principal - self.principal_paid


class LoanRate(models.Model):
    """The rate a loan bears from a date: its terms at disbursement, then any later version of
    the programme's terms that applies to existing loans."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="rates")
    effective_from = models.DateField(_("from"))
    annual_rate = RateField(_("annual rate"))
    overdue_rate = RateField(_("overdue annual rate"))
    terms = models.ForeignKey(
        "programmes.ProgrammeTerms", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["loan", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "effective_from"], name="one_rate_per_day"),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.effective_from:%d/%m/%Y} {self.annual_rate}"


class LoanStatusChange(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=LoanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=LoanStatus.choices)
    changed_on = models.DateField(_("on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["loan", "changed_on", "id"]

    def __str__(self):
        return f"{self.loan_id} {self.from_status} → {self.to_status}"


class TransactionKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Disbursement")
    REPAYMENT = "repayment", _("Repayment")
    INTEREST_TO_DATE = "interest_to_date", _("Interest posted to date")
    OVERDUE_TRANSFER = "overdue_transfer", _("Transfer to overdue")
    FREEZE = "freeze", _("Freeze")
    UNFREEZE = "unfreeze", _("Return to repayment")
    WRITE_OFF = "write_off", _("Write-off")
    REVERSAL = "reversal", _("Reversal")


class LoanTransaction(models.Model):
    """What one journal entry did to one loan's kept balances (signed deltas), so a page can
    show it and a reversal can undo it exactly. Month-end accruals are not listed here: they are
    one entry per office and month with a line per loan (the loan's page reads those lines)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=18, choices=TransactionKind.choices)
    value_date = models.DateField(_("value date"))
    entry = models.ForeignKey(
        "ledger.JournalEntry", on_delete=models.PROTECT, related_name="loan_transactions"
    )
    principal_in_term = models.BigIntegerField(default=0)
    principal_overdue = models.BigIntegerField(default=0)
    principal_frozen = models.BigIntegerField(default=0)
    interest = models.BigIntegerField(default=0)
    penalty = models.BigIntegerField(default=0)
    # Cash received (> 0) or paid out (< 0) at the counter; 0 for transfers between states.
    cash = models.BigIntegerField(default=0)
    # [{"instalment": id, "principal": amount}, …] — principal applied to instalments.
    instalments = models.JSONField(default=list, blank=True)
    # The loan's status before the step, restored by a reversal.
    status_before = models.CharField(max_length=12, choices=LoanStatus.choices, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loan transaction")
        verbose_name_plural = _("loan transactions")
        ordering = ["loan", "value_date", "id"]

    def __str__(self):
        return f"{self.loan_id} {self.kind} #{self.entry_id}"


class RiskCause(models.TextChoices):
    """Objective causes (domain.md §6.10)."""

    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    EPIDEMIC = "epidemic", _("Epidemic (people, crops, livestock)")
    FIRE = "fire", _("Fire")
    DEATH = "death", _("Death of the borrower")
    ILLNESS = "illness", _("Serious illness or loss of working capacity")
    POLICY_CHANGE = "policy_change", _("Change of State policy")
    MISSING = "missing", _("Borrower declared missing")
    OTHER = "other", _("Other objective cause")


class RiskTreatment(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    FREEZE = "freeze", _("Freeze")
    WRITE_OFF = "write_off", _("Write-off")


class RiskBatchStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")


class RiskBatch(models.Model):
    """Dossiers handled together (about twice a year), approved as one maker–checker request."""

    name = models.CharField(_("name"), max_length=120)
    office = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("transaction office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RiskBatchStatus.choices, default=RiskBatchStatus.DRAFT
    )
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk-handling batch")
        verbose_name_plural = _("risk-handling batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class RiskDossier(models.Model):
    """A loan's dossier (Forms 01, 02, 04, 05/XLN): cause, assessed loss and the treatment the
    loss band allows (< 40 % extension, 40–80 % freeze ≤ 3 years, 80–100 % freeze ≤ 5 years)."""

    batch = models.ForeignKey(RiskBatch, on_delete=models.PROTECT, related_name="dossiers")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="risk_dossiers")
    cause = models.CharField(_("cause"), max_length=20, choices=RiskCause.choices)
    occurred_on = models.DateField(_("happened on"))
    loss_percent = models.PositiveSmallIntegerField(_("assessed loss (%)"))
    loss_assessment = models.TextField(_("loss assessment"), max_length=4000)
    treatment = models.CharField(_("treatment"), max_length=10, choices=RiskTreatment.choices)
    freeze_months = models.PositiveSmallIntegerField(_("freeze (months)"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(
        _("extension (months)"), null=True, blank=True
    )
    freeze_until = models.DateField(_("frozen until"), null=True, blank=True)
    freeze_ended_on = models.DateField(_("freeze ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk-handling dossier")
        verbose_name_plural = _("risk-handling dossiers")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "loan"], name="one_dossier_per_loan_in_batch"),
            models.CheckConstraint(
                condition=models.Q(loss_percent__lte=100), name="dossier_loss_percent"
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.treatment}"


class RiskEvidence(models.Model):
    dossier = models.ForeignKey(RiskDossier, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to="risk-evidence/%Y/%m/")
    description = models.CharField(_("description"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["dossier", "id"]

    def __str__(self):
        return self.description


class AccrualRun(models.Model):
    """One month-end accrual of a branch: one journal entry, a line per loan."""

    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loans = models.PositiveIntegerField(_("loans"), default=0)
    interest = models.BigIntegerField(_("interest"), default=0)
    penalty = models.BigIntegerField(_("overdue interest"), default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("month-end accrual")
        verbose_name_plural = _("month-end accruals")
        ordering = ["-month", "-id"]

    def __str__(self):
        return f"{self.branch_id} {self.month:%m/%Y}"
