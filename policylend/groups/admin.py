"""Read-only admin for support staff. Groups change through their pages and services, which keep
the 5–60 rule, the board rules and the membership history; the admin only shows the rows."""

from django.contrib import admin

from .models import BoardTerm, GroupMeeting, GroupMembership, SavingsGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    fk_name = "group"
    fields = ("household", "joined_on", "left_on", "leave_reason", "moved_to")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SavingsGroup)
class SavingsGroupAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "commune",
        "village",
        "association_unit",
        "status",
        "founded_on",
    )
    list_filter = ("status", "branch", "association_unit__association")
    search_fields = ("code", "name", "search_name")
    list_select_related = ("commune", "village", "association_unit")
    inlines = [MembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(ReadOnlyAdmin):
    list_display = ("group", "household", "joined_on", "left_on", "leave_reason", "moved_to")
    list_filter = ("leave_reason",)
    search_fields = ("group__code", "household__code")
    list_select_related = ("group", "household", "moved_to")
    date_hierarchy = "joined_on"


@admin.register(BoardTerm)
class BoardTermAdmin(ReadOnlyAdmin):
    list_display = ("group", "role", "person", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("group__code", "person__full_name")
    list_select_related = ("group", "person")


@admin.register(GroupMeeting)
class GroupMeetingAdmin(ReadOnlyAdmin):
    list_display = ("group", "held_on", "kind", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("group__code",)
    list_select_related = ("group", "recorded_by")
    date_hierarchy = "held_on"
