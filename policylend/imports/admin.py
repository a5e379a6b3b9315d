"""Import jobs in the admin, read only: support staff can see who imported what and how it
ended; every change goes through the import page."""

from django.contrib import admin

from .models import ImportJob, ImportRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "status", "created_by", "created_at", "rows_total", "rows_new"]
    list_filter = ["status", "kind"]
    search_fields = ["file_name", "created_by__username"]
    date_hierarchy = "created_at"


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ["job", "sheet", "row_number", "outcome", "label"]
    list_filter = ["outcome", "sheet"]
    list_select_related = ["job"]
