"""Read-only admin for support staff. Changes to the tree go through the organisation pages (and
their services), which keep the paths and the history; the admin only shows the rows."""

from django.contrib import admin

from .models import OrganisationUnit, TransactionPoint, UnitParentPeriod


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParentPeriodInline(admin.TabularInline):
    model = UnitParentPeriod
    fk_name = "unit"
    fields = ("parent", "valid_from", "valid_to", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "status", "parent", "opened_on", "closed_on", "path")
    list_filter = ("kind", "status", "branch")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("path",)
    inlines = [ParentPeriodInline]


@admin.register(UnitParentPeriod)
class UnitParentPeriodAdmin(ReadOnlyAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to", "reason")
    list_filter = ("unit__kind",)
    search_fields = ("unit__code", "unit__name", "parent__code", "parent__name", "reason")
    list_select_related = ("unit", "parent")
    date_hierarchy = "valid_from"


@admin.register(TransactionPoint)
class TransactionPointAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "commune", "session_day", "address", "is_active", "opened_on")
    list_filter = ("is_active", "session_day", "branch")
    search_fields = ("code", "name", "commune__code", "commune__name")
    list_select_related = ("commune",)
