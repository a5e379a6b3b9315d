"""Pages of member savings: the list, a group's savings (members, plans, balances), an account's
page with its transactions, the forms of the teller (open, deposit, withdraw, pay a loan's
interest, close), the reversal request, and the half-year interest run."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.requesting import ReversalForm, request_recorded
from policylend.core.errors import Forbidden, NotFound
from policylend.core.forms import NOT_DONE, DateInput, MoneyField, submit
from policylend.core.pagination import paginate
from policylend.groups.selectors import group_get
from policylend.households.selectors import household_get
from policylend.loans.models import ACTIVE_STATUSES
from policylend.loans.selectors.loans import loan_list
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from . import rules, selectors
from .models import AccountStatus
from .services import (
    savings_account_close,
    savings_account_open,
    savings_deposit,
    savings_interest_credit_run,
    savings_pay_loan_interest,
    savings_transaction_reversal_propose,
    savings_withdraw,
)
from .services.reversal import REVERSIBLE, reversal_problems

app_name = "savings"
PASSED_ON = (NotFound, Forbidden)


def bank_today() -> date:
    return timezone.localdate()


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _new_key(prefix: str, pk) -> str:
    return f"{prefix}-{pk}-{timezone.now().timestamp()}"


@login_required
def account_list(request):
    params = request.GET
    accounts = selectors.account_list(
        request.user,
        search=params.get("q", "")[:40],
        status=params.get("status") if params.get("status") in AccountStatus.values else None,
        group_id=_int(params.get("group")),
    )
    return render(
        request,
        "savings/account_list.html",
        {
            "page": paginate(request, accounts),
            "statuses": AccountStatus.choices,
            "may_run": access.can(request.user, Capability.RUN_SAVINGS_JOBS),
        },
    )


@login_required
def group_savings(request, group_id: int):
    access.require(request.user, Capability.VIEW_SAVINGS)
    group = group_get(request.user, group_id)
    rows = selectors.group_savings(request.user, group)
    return render(
        request,
        "savings/group_savings.html",
        {
            "group": group,
            "rows": rows,
            "total_plan": sum(r["account"].monthly_plan for r in rows if r["account"]),
            "total_balance": sum(r["account"].balance for r in rows if r["account"]),
            "may_open": access.can(request.user, Capability.OPEN_SAVINGS_ACCOUNTS),
        },
    )


@login_required
def account_detail(request, account_id: int):
    account = selectors.account_get(request.user, account_id)
    user = request.user
    return render(
        request,
        "savings/account_detail.html",
        {
            "account": account,
            "page": paginate(request, selectors.account_transactions(account)),
            "interest_to_today": _interest_to(account, bank_today()),
            "may_record": account.status == AccountStatus.OPEN
            and access.can(user, Capability.RECORD_SAVINGS),
            "may_reverse": access.can(user, Capability.PROPOSE_LOAN_DECISIONS),
        },
    )


def _interest_to(account, today: date) -> int:
    from .services import interest_due

    if account.status != AccountStatus.OPEN or today <= account.interest_counted_from:
        return 0
    return interest_due(account, today)


# --- forms of the teller -------------------------------------------------------------------------


class OpenForm(forms.Form):
    opened_on = forms.DateField(label=gettext_lazy("Opened on"), widget=DateInput())
    monthly_plan = MoneyField(
        label=gettext_lazy("Monthly deposit plan"),
        required=False,
        help_text=gettext_lazy("What the member usually brings to the leader each month."),
    )


@login_required
def account_open(request):
    access.require(request.user, Capability.OPEN_SAVINGS_ACCOUNTS)
    household_id = _int(request.GET.get("household") or request.POST.get("household"))
    if household_id is None:
        raise NotFound("not_found", _("Choose the household from its page."))
    household = household_get(request.user, household_id)
    today = bank_today()
    form = OpenForm(request.POST or None, initial={"opened_on": today})
    account = submit(
        request,
        form,
        lambda data: savings_account_open(
            actor=request.user,
            household=household,
            opened_on=data["opened_on"],
            today=today,
            monthly_plan=data["monthly_plan"] or 0,
        ),
        passed_on=PASSED_ON,
    )
    if account is not NOT_DONE:
        messages.success(request, _("Savings account %(n)s was opened.") % {"n": account.number})
        return redirect("savings:detail", account_id=account.pk)
    return render(request, "savings/account_open.html", {"household": household, "form": form})


class MovementForm(forms.Form):
    value_date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    amount = MoneyField(label=gettext_lazy("Amount"))
    at_session = forms.BooleanField(
        label=gettext_lazy("At the commune session (cash at the transaction point)"),
        required=False,
        initial=True,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


def _movement(request, account_id: int, *, kind: str):
    account = selectors.account_get(request.user, account_id)
    access.require(request.user, Capability.RECORD_SAVINGS)
    today = bank_today()
    form = MovementForm(
        request.POST or None,
        initial={"value_date": today, "idempotency_key": _new_key(kind, account.pk)},
    )
    service = savings_deposit if kind == "deposit" else savings_withdraw
    record = submit(
        request,
        form,
        lambda data: service(
            actor=request.user,
            account=account,
            amount=data["amount"],
            value_date=data["value_date"],
            today=today,
            idempotency_key=data["idempotency_key"],
            at_session=data["at_session"],
        ),
        passed_on=PASSED_ON,
    )
    if record is not NOT_DONE:
        messages.success(request, _("Recorded; receipt number %(id)d.") % {"id": record.entry_id})
        return redirect("savings:detail", account_id=account.pk)
    return render(
        request,
        "savings/movement_form.html",
        {"account": account, "form": form, "kind": kind, "minimum": rules.DEPOSIT_MIN},
    )


@login_required
def deposit(request, account_id: int):
    return _movement(request, account_id, kind="deposit")


@login_required
def withdraw(request, account_id: int):
    return _movement(request, account_id, kind="withdrawal")


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=gettext_lazy("Closed on"), widget=DateInput())
    at_session = forms.BooleanField(
        label=gettext_lazy("At the commune session (cash at the transaction point)"),
        required=False,
        initial=True,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


@login_required
def close(request, account_id: int):
    account = selectors.account_get(request.user, account_id)
    access.require(request.user, Capability.RECORD_SAVINGS)
    today = bank_today()
    form = CloseForm(
        request.POST or None,
        initial={"closed_on": today, "idempotency_key": _new_key("close", account.pk)},
    )
    closed = submit(
        request,
        form,
        lambda data: savings_account_close(
            actor=request.user,
            account=account,
            closed_on=data["closed_on"],
            today=today,
            idempotency_key=data["idempotency_key"],
            at_session=data["at_session"],
        ),
        passed_on=PASSED_ON,
    )
    if closed is not NOT_DONE:
        messages.success(request, _("The account was closed and paid out."))
        return redirect("savings:detail", account_id=account.pk)
    return render(
        request,
        "savings/close_form.html",
        {"account": account, "form": form, "interest": _interest_to(account, today)},
    )


class LoanInterestForm(forms.Form):
    loan = forms.TypedChoiceField(label=gettext_lazy("Loan"), coerce=int)
    amount = MoneyField(label=gettext_lazy("Interest paid from savings"))
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DateInput())
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


@login_required
def pay_loan_interest(request, account_id: int):
    account = selectors.account_get(request.user, account_id)
    access.require(request.user, Capability.RECORD_SAVINGS)
    today = bank_today()
    loans = list(
        loan_list(request.user, household_id=account.household_id).filter(
            status__in=ACTIVE_STATUSES
        )
    )
    form = LoanInterestForm(
        request.POST or None,
        initial={"paid_on": today, "idempotency_key": _new_key("loan-interest", account.pk)},
    )
    form.fields["loan"].choices = [
        (loan.pk, f"{loan.number} · {loan.programme.code}") for loan in loans
    ]

    def pay(data):
        loan = next(loan for loan in loans if loan.pk == data["loan"])
        return savings_pay_loan_interest(
            actor=request.user,
            account=account,
            loan=loan,
            amount=data["amount"],
            paid_on=data["paid_on"],
            today=today,
            idempotency_key=data["idempotency_key"],
        )

    record = submit(request, form, pay, passed_on=PASSED_ON)
    if record is not NOT_DONE:
        messages.success(request, _("The loan's interest was paid from savings."))
        return redirect("savings:detail", account_id=account.pk)
    return render(
        request,
        "savings/loan_interest_form.html",
        {"account": account, "form": form, "loans": loans},
    )


@login_required
def reversal_propose(request, account_id: int):
    account = selectors.account_get(request.user, account_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    records = list(
        selectors.account_transactions(account).filter(
            kind__in=REVERSIBLE, reversed_by__isnull=True
        )
    )
    form = ReversalForm(
        request.POST or None,
        choices=[
            (r.pk, f"#{r.pk} · {r.value_date:%d/%m/%Y} · {r.get_kind_display()} · {r.amount}")
            for r in records
        ],
    )

    def propose(data):
        record = selectors.transaction_get(request.user, data["transaction"])
        reversal_problems(record)
        return savings_transaction_reversal_propose(
            actor=request.user, transaction=record, reason=data["reason"], today=bank_today()
        )

    approval = submit(request, form, propose, passed_on=PASSED_ON)
    if approval is not NOT_DONE:
        return request_recorded(request, approval)
    return render(request, "savings/reversal_form.html", {"account": account, "form": form})


# --- the half-year interest run ------------------------------------------------------------------


class InterestRunForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=gettext_lazy("Branch"), queryset=OrganisationUnit.objects.none()
    )
    half_year_end = forms.DateField(
        label=gettext_lazy("Half-year end (30/06 or 31/12)"), widget=DateInput()
    )


@login_required
def interest_run(request):
    access.require(request.user, Capability.RUN_SAVINGS_JOBS)
    today = bank_today()
    branches = access.units_visible_to(request.user).filter(kind=UnitKind.BRANCH)
    last_end = rules.half_year_end(today)
    if last_end > today:
        last_end = date(today.year - 1, 12, 31) if today.month <= 6 else date(today.year, 6, 30)
    form = InterestRunForm(
        request.POST or None, initial={"half_year_end": last_end, "branch": branches.first()}
    )
    form.fields["branch"].queryset = branches
    run = submit(
        request,
        form,
        lambda data: savings_interest_credit_run(
            actor=request.user,
            branch=data["branch"],
            half_year_end=data["half_year_end"],
            today=today,
        ),
        passed_on=PASSED_ON,
    )
    if run is not NOT_DONE:
        messages.success(
            request,
            _("Interest of %(total)s credited to %(n)d accounts (%(counted)d counted).")
            % {
                "total": f"{run.total:,}".replace(",", "."),
                "n": run.credited,
                "counted": run.accounts,
            },
        )
        return redirect("savings:interest_run")
    return render(request, "savings/interest_run.html", {"form": form})


urlpatterns = [
    path("", account_list, name="list"),
    path("open/", account_open, name="open"),
    path("interest-run/", interest_run, name="interest_run"),
    path("groups/<int:group_id>/", group_savings, name="group"),
    path("<int:account_id>/", account_detail, name="detail"),
    path("<int:account_id>/deposit/", deposit, name="deposit"),
    path("<int:account_id>/withdraw/", withdraw, name="withdraw"),
    path("<int:account_id>/close/", close, name="close"),
    path("<int:account_id>/loan-interest/", pay_loan_interest, name="loan_interest"),
    path("<int:account_id>/reversal/", reversal_propose, name="reversal"),
]
