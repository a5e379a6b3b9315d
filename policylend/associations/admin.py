"""Read-only admin for support staff. Association units, contracts, their terms and inspections
change through the association pages (and their services); a change of terms only through
maker–checker. The admin only shows the rows."""

from django.contrib import admin

from .models import (
    Association,
    AssociationUnit,
    EntrustmentContract,
    EntrustmentTerms,
    Inspection,
    SupervisionItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermsInline(admin.TabularInline):
    model = EntrustmentTerms
    fields = (
        "effective_from",
        "fee_rate_monthly",
        "split_central_bp",
        "split_province_bp",
        "split_district_bp",
        "split_commune_bp",
        "reductions",
        "approval",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Association)
class AssociationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_vi", "name_en", "name_hi")


@admin.register(AssociationUnit)
class AssociationUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "association", "level", "unit", "parent", "chair_name", "is_active")
    list_filter = ("association", "level", "is_active", "branch")
    search_fields = ("name", "unit__code", "unit__name", "chair_name")
    list_select_related = ("association", "unit", "parent")


@admin.register(EntrustmentContract)
class EntrustmentContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "association_unit", "bank_unit", "signed_on", "valid_from", "status")
    list_filter = ("status", "association_unit__association", "branch")
    search_fields = ("number", "association_unit__name")
    list_select_related = ("association_unit", "bank_unit")
    inlines = [TermsInline]


@admin.register(SupervisionItem)
class SupervisionItemAdmin(ReadOnlyAdmin):
    list_display = (
        "association_unit",
        "year",
        "reason",
        "group",
        "loan_ref",
        "due_by",
        "inspection",
    )
    list_filter = ("year", "reason", "branch")
    search_fields = ("association_unit__name", "group__code", "group__name")
    list_select_related = ("association_unit", "group", "inspection")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspected_on", "association_unit", "group", "inspector_name", "reported_on")
    list_filter = ("association_unit__association", "branch")
    search_fields = ("association_unit__name", "group__code", "inspector_name")
    list_select_related = ("association_unit", "group")
    date_hierarchy = "inspected_on"
