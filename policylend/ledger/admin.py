"""Read-only admin of the books for support staff. The journal is written only by
``journal_entry_post``: entries, lines, periods and snapshots are shown, never added, changed or
deleted here. On an account only its names and whether it is active may change (audited)."""

from django.contrib import admin

from .models import Account, AccountingPeriod, BalanceSnapshot, JournalEntry, JournalLine


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_vi",
        "name_en",
        "type",
        "is_postable",
        "is_active",
        "off_balance",
        "programme_code",
    ]
    list_filter = ["type", "is_postable", "is_active", "off_balance"]
    search_fields = ["code", "name_vi", "name_en", "name_hi"]
    fields = [
        "code",
        "name_vi",
        "name_en",
        "name_hi",
        "type",
        "parent",
        "is_postable",
        "is_active",
        "off_balance",
        "programme_code",
    ]
    readonly_fields = ["code", "type", "parent", "is_postable", "off_balance", "programme_code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = [
        "account",
        "amount",
        "office",
        "association",
        "group_ref",
        "loan_ref",
        "savings_account_ref",
        "campaign_ref",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "value_date", "kind", "memo", "branch", "maker", "checker", "recorded_at"]
    list_filter = ["kind", "branch"]
    search_fields = ["memo", "idempotency_key"]
    date_hierarchy = "value_date"
    list_select_related = ["branch", "maker", "checker"]
    inlines = [JournalLineInline]


@admin.register(JournalLine)
class JournalLineAdmin(ReadOnlyAdmin):
    list_display = ["id", "entry", "value_date", "account", "amount", "office"]
    list_filter = ["branch"]
    search_fields = ["account__code"]
    list_select_related = ["entry", "account", "office"]
    raw_id_fields = ["entry"]


@admin.register(AccountingPeriod)
class AccountingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["branch", "month", "status", "requested_by", "closed_by", "closed_at"]
    list_filter = ["status", "branch"]


@admin.register(BalanceSnapshot)
class BalanceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["period", "account", "office", "loan_ref", "savings_account_ref", "balance"]
    list_filter = ["period__branch"]
    list_select_related = ["period", "account", "office"]
