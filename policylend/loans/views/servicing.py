"""Loan pages of servicing: the list (with its export), a loan's page, the repayment form for the
teller, the reversal request, the month-end accrual and overdue runs, the loans to inspect."""

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
from policylend.core.excel import Column, xlsx_response
from policylend.core.forms import NOT_DONE, DateInput, MoneyField, submit
from policylend.core.pagination import paginate
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.programmes.models import Programme
from policylend.users import access
from policylend.users.roles import Capability

from ..models import LoanStatus, ScheduleVersion
from ..selectors import servicing as selectors
from ..selectors.loans import loan_get
from ..selectors.loans import loan_list as select_loans
from ..services.repayment import loan_repay
from ..services.reversal import loan_transaction_reversal_propose, reversal_problems
from ..tasks import run_interest_accrual, run_overdue

PASSED_ON = (NotFound, Forbidden)


def bank_today() -> date:
    return timezone.localdate()


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- the list ------------------------------------------------------------------------------------


def _filtered(request):
    params = request.GET
    return select_loans(
        request.user,
        search=params.get("q", "")[:40],
        status=params.get("status") if params.get("status") in LoanStatus.values else None,
        programme_id=_int(params.get("programme")),
        commune_id=_int(params.get("commune")),
        group_id=_int(params.get("group")),
    )


EXPORT_COLUMNS = [
    Column(gettext_lazy("Contract number"), lambda loan: loan.number, 20, text=True),
    Column(gettext_lazy("Household"), lambda loan: loan.household.code, 14, text=True),
    Column(gettext_lazy("Borrower"), lambda loan: loan.borrower.full_name, 28),
    Column(gettext_lazy("Programme"), lambda loan: loan.programme.code, 10, text=True),
    Column(gettext_lazy("Commune"), lambda loan: loan.commune.name, 20),
    Column(gettext_lazy("Amount"), lambda loan: loan.amount_approved or loan.amount_requested),
    Column(gettext_lazy("Outstanding"), lambda loan: loan.principal_outstanding),
    Column(gettext_lazy("Overdue"), lambda loan: loan.principal_overdue),
    Column(gettext_lazy("Interest receivable"), lambda loan: loan.interest_receivable),
    Column(gettext_lazy("Status"), lambda loan: loan.get_status_display(), 18),
    Column(gettext_lazy("Disbursed on"), lambda loan: loan.disbursed_on),
]


@login_required
def loan_list(request):
    loans = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _("loans") + ".xlsx", _("Loans"), EXPORT_COLUMNS, loans.iterator(chunk_size=2_000)
        )
    communes = access.units_visible_to(request.user).filter(kind=UnitKind.COMMUNE).order_by("code")
    return render(
        request,
        "loans/loan_list.html",
        {
            "page": paginate(request, loans),
            "statuses": LoanStatus.choices,
            "programmes": Programme.objects.order_by("code"),
            "communes": communes,
            "may_run_jobs": access.can(request.user, Capability.RUN_LOAN_JOBS),
        },
    )


@login_required
def inactive_list(request):
    today = bank_today()
    loans = selectors.inactive_loans(request.user, today)
    return render(
        request,
        "loans/servicing_inactive.html",
        {"page": paginate(request, loans), "today": today, "months": selectors.INACTIVE_MONTHS},
    )


# --- a loan's page -------------------------------------------------------------------------------


@login_required
def loan_detail(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    today = bank_today()
    next_session = selectors.next_session_on(loan, today)
    versions = list(
        ScheduleVersion.objects.filter(loan=loan)
        .prefetch_related("instalments")
        .order_by("-number")
    )
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "today": today,
            "owed_today": selectors.owed_on(loan, today),
            "next_session": next_session,
            "owed_next": selectors.owed_on(loan, next_session) if next_session else None,
            "current": next((v for v in versions if v.is_current), None),
            "earlier": [v for v in versions if not v.is_current],
            "transactions": selectors.loan_transactions(loan),
            "accruals": selectors.loan_accrual_lines(loan),
            "status_changes": loan.status_changes.select_related("changed_by"),
            "rates": loan.rates.all(),
            "reviews": loan.reviews.select_related("meeting"),
            "may_repay": access.can(request.user, Capability.COLLECT_REPAYMENTS)
            and loan.status in (LoanStatus.IN_TERM, LoanStatus.OVERDUE),
            "may_reverse": access.can(request.user, Capability.PROPOSE_LOAN_DECISIONS),
        },
    )


# --- repayment -----------------------------------------------------------------------------------


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DateInput())
    interest = MoneyField(label=gettext_lazy("Interest (through the group leader)"), required=False)
    principal = MoneyField(label=gettext_lazy("Principal (paid in person)"), required=False)
    at_session = forms.BooleanField(
        label=gettext_lazy("Paid at the commune session (cash at the transaction point)"),
        required=False,
        initial=True,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


@login_required
def repay(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.COLLECT_REPAYMENTS)
    today = bank_today()
    from ..services.disbursement import commune_point

    form = RepaymentForm(
        request.POST or None,
        initial={
            "paid_on": today,
            "idempotency_key": f"repay-{loan.pk}-{timezone.now().timestamp()}",
        },
    )
    record = submit(
        request,
        form,
        lambda data: loan_repay(
            actor=request.user,
            loan=loan,
            paid_on=data["paid_on"],
            today=today,
            interest=data["interest"] or 0,
            principal=data["principal"] or 0,
            idempotency_key=data["idempotency_key"],
            at_point=commune_point(loan) if data["at_session"] else None,
        ),
        passed_on=PASSED_ON,
    )
    if record is not NOT_DONE:
        messages.success(request, _("The repayment was recorded."))
        return redirect("loans:detail", loan_id=loan.pk)
    return render(
        request,
        "loans/servicing_repay.html",
        {"loan": loan, "form": form, "owed": selectors.owed_on(loan, today)},
    )


# --- reversal ------------------------------------------------------------------------------------


@login_required
def reversal_propose(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    records = list(selectors.loan_transactions(loan).exclude(kind="reversal"))
    form = ReversalForm(
        request.POST or None,
        choices=[
            (r.pk, f"#{r.pk} · {r.value_date:%d/%m/%Y} · {r.get_kind_display()}") for r in records
        ],
    )

    def propose(data):
        record = selectors.loan_transaction_get(request.user, data["transaction"])
        reversal_problems(record)
        return loan_transaction_reversal_propose(
            actor=request.user, transaction=record, reason=data["reason"], today=bank_today()
        )

    approval = submit(request, form, propose, passed_on=PASSED_ON)
    if approval is not NOT_DONE:
        return request_recorded(request, approval)
    return render(request, "loans/servicing_reversal.html", {"loan": loan, "form": form})


# --- jobs ----------------------------------------------------------------------------------------


class AccrualForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=gettext_lazy("Branch"), queryset=OrganisationUnit.objects.none()
    )
    month = forms.CharField(label=gettext_lazy("Month (mm/yyyy)"), max_length=7)

    def clean_month(self):
        try:
            return Month.parse(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Write the month as mm/yyyy.")) from None


class OverdueForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Transaction office or branch"), queryset=OrganisationUnit.objects.none()
    )
    session_date = forms.DateField(label=gettext_lazy("Session day"), widget=DateInput())


def _job_outcome(request, result, describe) -> None:
    """The job's answer when it has run (at once in tests and with the immediate backend)."""
    if not result.is_finished:
        messages.info(request, _("The job was queued; its result appears here when it has run."))
    elif result.status != "SUCCESSFUL":
        messages.error(request, _("The job failed; see the job log."))
    elif "error" in (result.return_value or {}):
        messages.error(request, result.return_value["error"])
    else:
        messages.success(request, describe(result.return_value))


@login_required
def accrual_run(request):
    access.require(request.user, Capability.RUN_LOAN_JOBS)
    today = bank_today()
    branches = access.units_visible_to(request.user).filter(kind=UnitKind.BRANCH)
    form = AccrualForm(
        request.POST or None,
        initial={"month": str(Month.of(today).previous()), "branch": branches.first()},
    )
    form.fields["branch"].queryset = branches
    if request.method == "POST" and form.is_valid():
        result = run_interest_accrual.enqueue(
            request.user.pk,
            form.cleaned_data["branch"].pk,
            form.cleaned_data["month"].first_day.isoformat(),
            today.isoformat(),
        )
        _job_outcome(
            request,
            result,
            lambda value: _("Interest posted for %(loans)d loans.") % {"loans": value["loans"]},
        )
        return redirect("loans:accrual_run")
    return render(
        request,
        "loans/servicing_accrual.html",
        {"form": form, "runs": paginate(request, selectors.accrual_runs(request.user))},
    )


@login_required
def overdue_run(request):
    access.require(request.user, Capability.RUN_LOAN_JOBS)
    today = bank_today()
    units = access.units_visible_to(request.user).filter(
        kind__in=(UnitKind.BRANCH, UnitKind.OFFICE)
    )
    form = OverdueForm(request.POST or None, initial={"session_date": today})
    form.fields["unit"].queryset = units.order_by("path")
    if request.method == "POST" and form.is_valid():
        result = run_overdue.enqueue(
            request.user.pk,
            form.cleaned_data["unit"].pk,
            form.cleaned_data["session_date"].isoformat(),
            today.isoformat(),
        )
        _job_outcome(
            request,
            result,
            lambda value: _("%(n)d loans moved to overdue.") % {"n": value["loans"]},
        )
        return redirect("loans:overdue_run")
    return render(request, "loans/servicing_overdue.html", {"form": form})


urlpatterns = [
    path("", loan_list, name="list"),
    path("inactive/", inactive_list, name="inactive"),
    path("jobs/accrual/", accrual_run, name="accrual_run"),
    path("jobs/overdue/", overdue_run, name="overdue_run"),
    path("<int:loan_id>/", loan_detail, name="detail"),
    path("<int:loan_id>/repay/", repay, name="repay"),
    path("<int:loan_id>/reversal/", reversal_propose, name="reversal_propose"),
]
