"""Read-only admin of maker-checker requests: they are decided on the approvals pages only."""

from django.contrib import admin

from .models import ApprovalRequest


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "unit", "maker", "made_at", "checker", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "maker__username", "result_reference"]
    list_select_related = ["unit", "maker", "checker"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
