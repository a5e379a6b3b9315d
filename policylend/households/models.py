"""Households and their members, with the certified classifications that make them eligible
(domain.md §4). A household is represented by its head; it lives in a village of a commune."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from policylend.core.text import fold


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Relationship(models.TextChoices):
    """A member's relationship to the head of the household."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other relative")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED_AWAY = "moved_away", _("Moved away")
    DISSOLVED = "dissolved", _("Dissolved")


class Household(models.Model):
    code = models.CharField(_("customer code"), max_length=10, unique=True)
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
    village = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head of household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True, db_index=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    # The head's name folded for search, kept in step by the services.
    search_text = models.CharField(max_length=200, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["office", "code"]),
        ]

    def __str__(self):
        return f"{self.code} {self.head.full_name if self.head_id else ''}".strip()

    def get_additional_data(self):
        return {"unit_path": self.village.path}


class Person(models.Model):
    """A member of a household. The national ID is stored once (unique) and shown in full only to
    the roles that need it (users.roles: VIEW_NATIONAL_ID); elsewhere it is masked."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship to the head"), max_length=14, choices=Relationship.choices
    )
    national_id = models.CharField(
        _("national ID"), max_length=12, null=True, blank=True, unique=True
    )
    # The last four digits, for search by ID suffix without exposing the whole number.
    national_id_last4 = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("still a member"), default=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "id"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        self.national_id_last4 = (self.national_id or "")[-4:]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            if "full_name" in update_fields:
                extra.add("search_name")
            if "national_id" in update_fields:
                extra.add("national_id_last4")
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"unit_path": self.household.village.path}


class Kinship(models.Model):
    """A family tie between members of different households (spouse, parent, child, sibling),
    recorded so the group-board rule can see it; ties inside one household follow from each
    member's relationship to the head."""

    class Tie(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARENT_OF = "parent_of", _("Parent of")
        SIBLING = "sibling", _("Sibling")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ties")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    tie = models.CharField(_("tie"), max_length=10, choices=Tie.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="one_tie_per_pair"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.tie} {self.relative_id}"


class ClassificationKind(models.TextChoices):
    """Certified lists that make a household eligible for programmes (domain.md §4, §5)."""

    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    ESCAPED_POVERTY = "escaped_poverty", _("Just escaped poverty")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic minority")
    DISADVANTAGED_AREA = "disadvantaged_area", _("Living in a disadvantaged area")
    EX_PRISONER = "ex_prisoner", _("Member who served a prison sentence")
    STUDENT = "student", _("Household with a student")
    POLICY_FAMILY = "policy_family", _("Family of people with meritorious services")


class Classification(models.Model):
    """A household's place on a certified list for a year, with who certified it."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="classifications"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("classification"), max_length=20, choices=ClassificationKind.choices)
    exit_year = models.PositiveSmallIntegerField(
        _("year of leaving poverty"), null=True, blank=True
    )
    certified_by = models.CharField(
        _("certified by"),
        max_length=200,
        help_text=_("The commune People's Committee decision: number and signer."),
    )
    certified_on = models.DateField(_("certified on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certified classification")
        verbose_name_plural = _("certified classifications")
        ordering = ["household", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year", "kind"], name="one_classification_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"

    def get_additional_data(self):
        return {"unit_path": self.household.village.path}


class NationalIdView(models.Model):
    """Each time a national ID is shown in full: who saw whose, when and where (Law 91/2025)."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)
    where = models.CharField(max_length=100)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.viewer_id} saw {self.person_id} at {self.viewed_at}"
