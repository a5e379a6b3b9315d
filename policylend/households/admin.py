"""Read-only admin for support staff. Changes go through the household pages and their services,
which check the rules and keep the audit; the admin only shows rows, and shows a national ID
masked, never in full (the full number is for the roles that need it, on request, logged)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from policylend.core.text import fold

from .models import Classification, Household, Kinship, NationalIdView, Person
from .rules import mask_national_id


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_search_results(self, request, queryset, search_term):
        # Names are stored folded ("nguyen van duc"); fold what was typed the same way.
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=_("National ID"))
def masked_national_id(person: Person) -> str:
    return mask_national_id(person.national_id)


class PersonInline(admin.TabularInline):
    model = Person
    fields = ("full_name", "relationship", "sex", "birth_date", masked_national_id, "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("code", "head", "village", "commune", "phone", "status", "created_at")
    list_filter = ("status", "office")
    # A name is searched folded (search_text); codes and phones as typed. Never by national ID.
    search_fields = ("code", "search_text", "phone")
    list_select_related = ("head", "village", "commune")
    fields = (
        "code",
        "head",
        "branch",
        "office",
        "commune",
        "village",
        "address",
        "phone",
        "ethnicity",
        "status",
        "created_at",
    )
    readonly_fields = fields
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "household", "relationship", "sex", masked_national_id)
    list_filter = ("relationship", "sex", "is_active")
    search_fields = ("search_name", "household__code", "national_id_last4")
    list_select_related = ("household", "household__head")
    fields = (
        "household",
        "full_name",
        "relationship",
        "sex",
        "birth_date",
        masked_national_id,
        "is_active",
    )
    readonly_fields = fields


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ("household", "year", "kind", "exit_year", "certified_by", "certified_on")
    list_filter = ("kind", "year")
    search_fields = ("household__code", "certified_by")
    list_select_related = ("household", "household__head")


@admin.register(Kinship)
class KinshipAdmin(ReadOnlyAdmin):
    list_display = ("person", "tie", "relative")
    list_select_related = ("person", "relative")


@admin.register(NationalIdView)
class NationalIdViewAdmin(ReadOnlyAdmin):
    list_display = ("viewed_at", "viewer", "person", "where")
    list_select_related = ("viewer", "person")
    date_hierarchy = "viewed_at"
