"""Savings-and-loan groups (tổ tiết kiệm và vay vốn, domain.md §3): 5–60 neighbouring households
managed by a commune association unit, with a board, a membership history and meetings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from policylend.core.text import fold

from .grading import Grade


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")


class SavingsGroup(models.Model):
    code = models.CharField(_("group code"), max_length=7, unique=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The group's own village and, when it is too small, adjacent villages of the same commune.
    village = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="savings_groups",
    )
    villages = models.ManyToManyField(
        "organisation.OrganisationUnit",
        verbose_name=_("villages the members may live in"),
        related_name="+",
    )
    association_unit = models.ForeignKey(
        "associations.AssociationUnit",
        verbose_name=_("managed by"),
        on_delete=models.PROTECT,
        related_name="savings_groups",
    )
    founded_on = models.DateField(_("founded on"))
    approval_decision = models.CharField(
        _("commune People's Committee decision"),
        max_length=80,
        help_text=_("The decision approving the group and its rules: number and date."),
    )
    approval_decision_on = models.DateField(_("decision date"))
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_into",
    )

    class Meta:
        verbose_name = _("savings-and-loan group")
        verbose_name_plural = _("savings-and-loan groups")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["office", "status"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"unit_path": self.village.path}


class LeaveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", _("Moved away")
    TRANSFERRED = "transferred", _("Moved to another group")
    NO_LONGER_BORROWING = "no_longer_borrowing", _("No longer borrowing or saving")
    DECEASED = "deceased", _("Deceased")
    EXCLUDED = "excluded", _("Excluded by the group")
    MERGED = "merged", _("Group merged")
    SPLIT = "split", _("Group split")
    DISSOLVED = "dissolved", _("Group dissolved")
    OTHER = "other", _("Other")


class GroupMembership(models.Model):
    """A household's membership of a group, from the day it joined until the day it left."""

    group = models.ForeignKey(SavingsGroup, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    leave_note = models.CharField(_("note"), max_length=200, blank=True)
    moved_to = models.ForeignKey(
        SavingsGroup,
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "joined_on", "id"]
        constraints = [
            # A household belongs to at most one group at a time (domain.md §3).
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(left_on__isnull=True),
                name="one_open_membership_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} in {self.group_id} from {self.joined_on}"

    def get_additional_data(self):
        return {"unit_path": self.group.village.path}


class BoardRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    DEPUTY = "deputy", _("Deputy leader")


class BoardTerm(models.Model):
    """A member elected leader or deputy of the group, for a term."""

    group = models.ForeignKey(SavingsGroup, on_delete=models.PROTECT, related_name="board_terms")
    person = models.ForeignKey(
        "households.Person", on_delete=models.PROTECT, related_name="board_terms"
    )
    role = models.CharField(_("role"), max_length=6, choices=BoardRole.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    # The user account of a leader, once the leader may log in to see the group.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        ordering = ["group", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="one_sitting_board_member_per_role",
            ),
            # A person leads at most one group (domain.md §3).
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True, role="leader"),
                name="a_person_leads_one_group",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person_id} of {self.group_id}"

    def get_additional_data(self):
        return {"unit_path": self.group.village.path}


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    LOAN_REVIEW = "loan_review", _("Loan-review meeting")


class GroupMeeting(models.Model):
    """The record of a group meeting; the loan-review meeting lists the applications it reviewed
    (the loans issue links them here)."""

    group = models.ForeignKey(SavingsGroup, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    attendees = models.ManyToManyField(
        "households.Person", verbose_name=_("members present"), related_name="+"
    )
    guests = models.CharField(_("guests (association, commune, bank)"), max_length=300, blank=True)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["group", "-held_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"


class GroupGrade(models.Model):
    """A group's monthly grade (domain.md §3; the criteria and formulas in groups/grading.py).
    Written once per group and month by the grading run; a later run of the same month grades
    only the groups still without a grade."""

    group = models.ForeignKey(SavingsGroup, on_delete=models.PROTECT, related_name="grades")
    month = models.DateField(_("month"), help_text=_("The first day of the month graded."))
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    session = models.DecimalField(_("transacting at the session"), max_digits=5, decimal_places=2)
    overdue = models.DecimalField(_("overdue ratio"), max_digits=5, decimal_places=2)
    principal = models.DecimalField(_("principal due collected"), max_digits=5, decimal_places=2)
    interest = models.DecimalField(_("interest collected"), max_digits=5, decimal_places=2)
    savers = models.DecimalField(_("members who save"), max_digits=5, decimal_places=2)
    growth = models.DecimalField(_("savings growth"), max_digits=5, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.CHOICES)
    # The facts the points came from (groups.grading.GroupFacts), so the page can show the sums.
    facts = models.JSONField(default=dict)
    graded_on = models.DateField(_("graded on"))
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("group grade")
        verbose_name_plural = _("group grades")
        ordering = ["group", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="one_grade_per_group_month"),
            models.CheckConstraint(
                condition=models.Q(total__gte=0) & models.Q(total__lte=100),
                name="group_grade_total_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "month"]),
            models.Index(fields=["branch", "month"]),
        ]

    def __str__(self):
        return f"{self.group_id} {self.month:%m/%Y} {self.total}"
