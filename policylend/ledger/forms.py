"""Forms of the ledger pages: report filters, the manual voucher with its lines, a reversal's
reason. They parse what a user typed (dates dd/mm/yyyy, amounts "1.234.567") and put a service's
problems back beside the field they name."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from policylend.core.errors import DomainError
from policylend.core.forms import DateInput, MoneyField
from policylend.organisation.models import OrganisationUnit, UnitKind, UnitStatus
from policylend.users import access

from .models import Account, EntryKind
from .rules import LineSpec, Side
from .selectors import LedgerScope

VOUCHER_LINES_MAX = 100
MEMO_LENGTH_MAX = 300
REASON_LENGTH_MAX = 250
SEARCH_LENGTH_MAX = 100
NOTE_LENGTH_MAX = 500


def offices_in_scope(
    viewer, scope: LedgerScope, open_only: bool = False
) -> QuerySet[OrganisationUnit]:
    """The transaction offices a viewer may pick inside the scope's branch (for a new voucher,
    only offices that are still open)."""
    if scope.office is not None:
        offices = OrganisationUnit.objects.filter(pk=scope.office.pk)
    else:
        offices = access.units_visible_to(viewer).filter(kind=UnitKind.OFFICE, branch=scope.branch)
    return offices.filter(status=UnitStatus.ACTIVE) if open_only else offices


def with_defaults(data, defaults: dict) -> dict:
    """A GET filter's data with defaults for the parameters the user left out or blank."""
    merged = dict(defaults)
    for key, value in data.items():
        if value not in ("", None):
            merged[key] = value
    return merged


def date_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error(
                "end",
                _("The end date %(end)s is before the start date %(start)s.")
                % {
                    "end": date_text(end),
                    "start": date_text(start),
                },
            )
        return data


class TrialBalanceForm(DateRangeForm):
    office = forms.ModelChoiceField(
        label=_("Transaction office"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("Whole branch"),
    )

    def __init__(self, *args, offices: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is None:
            del self.fields["office"]
        else:
            self.fields["office"].queryset = offices


class EntryFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Memo contains"), required=False, max_length=SEARCH_LENGTH_MAX)
    office = forms.ModelChoiceField(
        label=_("Transaction office"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("Whole branch"),
    )

    def __init__(self, *args, offices: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *EntryKind.choices]
        if offices is None:
            del self.fields["office"]
        else:
            self.fields["office"].queryset = offices


def filter_entries(
    entries: QuerySet,
    *,
    start: date | None = None,
    end: date | None = None,
    kind: str = "",
    memo: str = "",
) -> QuerySet:
    """Narrow a scoped list of entries and add each entry's total of debits."""
    if start:
        entries = entries.filter(value_date__gte=start)
    if end:
        entries = entries.filter(value_date__lte=end)
    if kind:
        entries = entries.filter(kind=kind)
    if memo:
        entries = entries.filter(memo__icontains=memo[:SEARCH_LENGTH_MAX])
    # An aggregate drops the model's default ordering, so it is stated again.
    return entries.annotate(total=Sum("lines__amount", filter=Q(lines__amount__gt=0))).order_by(
        "-value_date", "-id"
    )


# --- the manual voucher ------------------------------------------------------------------------


def postable_account_choices() -> list[tuple[str, str]]:
    accounts = Account.objects.filter(is_postable=True, is_active=True).order_by("code")
    return [("", "—"), *((a.code, f"{a.code} · {a.name}") for a in accounts)]


class VoucherForm(forms.Form):
    value_date = forms.DateField(label=_("Value date"), widget=DateInput())
    memo = forms.CharField(label=_("Memo"), max_length=MEMO_LENGTH_MAX)
    office = forms.ModelChoiceField(
        label=_("Transaction office"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        empty_label=_("Branch level (no office)"),
        help_text=_("Every line of the voucher belongs to this office."),
    )
    note = forms.CharField(
        label=_("Note to the checker"),
        max_length=NOTE_LENGTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, offices: QuerySet, office_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["office"].required = office_required
        if office_required:
            self.fields["office"].empty_label = None


class VoucherLineForm(forms.Form):
    account = forms.ChoiceField(label=_("Account"))
    # The side starts as debit, so a blank added line does not count as filled in.
    side = forms.ChoiceField(
        label=_("Side"),
        choices=[(Side.DEBIT, _("Debit")), (Side.CREDIT, _("Credit"))],
        initial=Side.DEBIT,
    )
    amount = MoneyField(label=_("Amount"))

    def __init__(self, *args, accounts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = accounts


class BaseVoucherLineFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[forms.Form]:
        """The lines the user filled in (blank extra lines are left out), in screen order."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def line_specs(self, office_id: int | None) -> list[LineSpec]:
        return [
            LineSpec(
                account=form.cleaned_data["account"],
                side=Side(form.cleaned_data["side"]),
                amount=form.cleaned_data["amount"],
                office_id=office_id,
            )
            for form in self.filled_forms()
        ]


VoucherLineFormSet = forms.formset_factory(
    VoucherLineForm,
    formset=BaseVoucherLineFormSet,
    extra=0,
    min_num=2,
    validate_min=True,
    max_num=VOUCHER_LINES_MAX,
    validate_max=True,
    absolute_max=VOUCHER_LINES_MAX,
)


def voucher_line_formset(data=None, accounts=None) -> BaseVoucherLineFormSet:
    return VoucherLineFormSet(
        data, prefix="lines", form_kwargs={"accounts": accounts or postable_account_choices()}
    )


def voucher_line_form(index: int, accounts=None) -> VoucherLineForm:
    """A blank line with the formset's prefix, for the htmx "add line" button."""
    return VoucherLineForm(
        prefix=f"lines-{index}",
        accounts=accounts or postable_account_choices(),
        empty_permitted=True,
        use_required_attribute=False,
    )


def with_one_more_line(data):
    """The submitted voucher with one more (blank) line, when "add line" is pressed without
    JavaScript."""
    data = data.copy()
    try:
        count = int(data.get("lines-TOTAL_FORMS", 2))
    except ValueError:
        count = 2
    data["lines-TOTAL_FORMS"] = str(min(max(count, 2) + 1, VOUCHER_LINES_MAX))
    return data


def running_totals(formset: BaseVoucherLineFormSet) -> dict[str, int]:
    """Debits and credits of the lines typed so far; lines that do not parse count as zero."""
    debits = credits = 0
    for form in formset.forms:
        if not form.is_valid() or not form.cleaned_data:
            continue
        amount = form.cleaned_data.get("amount") or 0
        if form.cleaned_data.get("side") == Side.DEBIT:
            debits += amount
        else:
            credits += amount
    return {"debits": debits, "credits": credits, "difference": abs(debits - credits)}


LINE_FIELD = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def add_voucher_problems(
    form: VoucherForm, formset: BaseVoucherLineFormSet, error: DomainError
) -> None:
    """Put each problem beside its field: "lines[2].amount" on the second filled line."""
    filled = formset.filled_forms()
    for problem in error.problems:
        match = LINE_FIELD.match(problem.field or "")
        if match and match.group(2) == "office":
            form.add_error("office", problem.message)
        elif match and 1 <= int(match.group(1)) <= len(filled):
            line_form = filled[int(match.group(1)) - 1]
            name = match.group(2)
            line_form.add_error(name if name in line_form.fields else None, problem.message)
        else:
            name = problem.field if problem.field in form.fields else None
            form.add_error(name, problem.message)


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reversal"),
        max_length=REASON_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
