"""Pages of the session day: the sessions, opening one, the session page with its postings
(disbursements, repayments outside a sheet, savings withdrawals), the cash book, the closing and
the briefing minutes (with their A4 PDFs)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.forms import NOT_DONE, DateInput, MoneyField, add_problems, submit
from policylend.core.money import format_amount
from policylend.core.pagination import paginate
from policylend.core.pdf import render_pdf
from policylend.organisation.selectors import transaction_point_get, transaction_point_list
from policylend.users import access
from policylend.users.roles import Capability, Role

from ..models import SessionStatus
from ..selectors import cashbook as cashbook_selectors
from ..selectors import sessions as selectors
from ..services import closing, minutes, sessions
from .calendar import LANGUAGES, bank_today

PASSED_ON = (NotFound, Forbidden)


def _language(request) -> str:
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "vi"
    return language


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def team_queryset(viewer):
    """Logins in the viewer's scope who may work at a session (staff, not group leaders)."""
    return (
        get_user_model()
        .objects.filter(access.unit_q(viewer, "scope_unit"), is_active=True)
        .exclude(role=Role.GROUP_LEADER)
        .order_by("username")
    )


# --- the list and opening ---------------------------------------------------------------------


@login_required
def session_list(request):
    office_id = request.GET.get("office") or None
    point_id = request.GET.get("point") or None
    status = request.GET.get("status", "")
    sessions_ = selectors.session_list(
        request.user,
        office_id=int(office_id) if office_id and office_id.isdigit() else None,
        point_id=int(point_id) if point_id and point_id.isdigit() else None,
        status=status,
    )
    return render(
        request,
        "transaction_sessions/session_list.html",
        {
            "page": paginate(request, sessions_),
            "points": transaction_point_list(request.user),
            "statuses": SessionStatus.choices,
            "filters": {"point": point_id or "", "status": status},
            "may_open": access.can(request.user, Capability.RUN_SESSIONS),
        },
    )


class SessionOpenForm(forms.Form):
    point = forms.ModelChoiceField(label=gettext_lazy("Transaction point"), queryset=None)
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput)
    team = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Session team"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = transaction_point_list(viewer)
        self.fields["team"].queryset = team_queryset(viewer).exclude(pk=viewer.pk)


@login_required
def session_open_page(request):
    access.require(request.user, Capability.RUN_SESSIONS)
    today = bank_today()
    initial = {"held_on": today}
    if request.GET.get("point", "").isdigit():
        initial["point"] = transaction_point_get(request.user, int(request.GET["point"]))
    form = SessionOpenForm(request.POST or None, initial=initial, viewer=request.user)
    session = submit(
        request,
        form,
        lambda data: sessions.session_open(
            actor=request.user,
            point=data["point"],
            held_on=data["held_on"],
            today=today,
            team=data["team"],
        ),
        passed_on=PASSED_ON,
    )
    if session is not NOT_DONE:
        messages.success(request, _("The session was opened."))
        return redirect("transaction_sessions:session_detail", session.pk)
    return render(
        request,
        "transaction_sessions/session_open.html",
        {"form": form, "title": _("Open a session")},
        status=400 if request.method == "POST" else 200,
    )


# --- the session page ---------------------------------------------------------------------------


class RepaymentForm(forms.Form):
    loan = forms.ModelChoiceField(label=gettext_lazy("Loan"), queryset=None)
    interest = MoneyField(label=gettext_lazy("Interest"), required=False)
    principal = MoneyField(label=gettext_lazy("Principal"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loan"].queryset = selectors.loans_repayable(session)


class WithdrawalForm(forms.Form):
    account = forms.ModelChoiceField(label=gettext_lazy("Savings account"), queryset=None)
    amount = MoneyField(label=gettext_lazy("Amount"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = selectors.savings_accounts_of(session)


class DisburseForm(forms.Form):
    loan = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loan"].queryset = selectors.loans_waiting(session)


class SessionTeamForm(forms.Form):
    team = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Session team"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, viewer, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_queryset(viewer).exclude(pk=session.opened_by_id)


class ClosingForm(forms.Form):
    cash_carried = MoneyField(label=gettext_lazy("Cash carried to the office"), allow_negative=True)


def _sheet_url(session, group) -> str:
    try:
        return reverse(
            "transaction_sessions:sheet_entry",
            kwargs={"session_id": session.pk, "group_id": group.pk},
        )
    except NoReverseMatch:
        return ""


def _detail(
    request,
    session,
    *,
    repayment=None,
    withdrawal=None,
    closing_form=None,
    team_form=None,
    status=200,
):
    is_open = session.status == SessionStatus.OPEN
    may_run = access.can(request.user, Capability.RUN_SESSIONS) and is_open
    groups = [
        {
            "group": row.group,
            "sheet": row.sheet,
            "status": row.status,
            "url": _sheet_url(session, row.group),
        }
        for row in selectors.session_groups(session)
    ]
    waiting = list(selectors.loans_waiting(session)) if is_open else []
    book = cashbook_selectors.cash_book_of(session)
    return render(
        request,
        "transaction_sessions/session_detail.html",
        {
            "session": session,
            "team": session.team.order_by("username"),
            "groups": groups,
            "waiting": [(loan, uuid.uuid4().hex) for loan in waiting],
            "repayment": repayment
            or RepaymentForm(session=session, initial={"idempotency_key": uuid.uuid4().hex}),
            "withdrawal": withdrawal
            or WithdrawalForm(session=session, initial={"idempotency_key": uuid.uuid4().hex}),
            "closing": closing_form or ClosingForm(initial={"cash_carried": book.balance}),
            "team_form": team_form
            or SessionTeamForm(
                viewer=request.user,
                session=session,
                initial={"team": list(session.team.exclude(pk=session.opened_by_id))},
            ),
            "book": book,
            "may_run": may_run,
            "may_disburse": may_run and access.can(request.user, Capability.DISBURSE_LOANS),
            "may_repay": may_run and access.can(request.user, Capability.COLLECT_REPAYMENTS),
            "may_withdraw": may_run and access.can(request.user, Capability.RECORD_SAVINGS),
        },
        status=status,
    )


@login_required
def session_detail(request, session_id: int):
    return _detail(request, selectors.session_get(request.user, session_id))


def _posted(request, session, message: str):
    messages.success(request, message)
    response = redirect("transaction_sessions:session_detail", session.pk)
    response.status_code = 303
    return response


@login_required
@require_POST
def session_disburse(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    form = DisburseForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("This loan is not waiting to be paid out at this session."))
        return redirect("transaction_sessions:session_detail", session.pk)
    try:
        record = sessions.session_disburse(
            actor=request.user,
            session=session,
            loan=form.cleaned_data["loan"],
            today=bank_today(),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except PASSED_ON:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("transaction_sessions:session_detail", session.pk)
    return _posted(
        request,
        session,
        _("Loan %(number)s was paid out: %(amount)s.")
        % {"number": record.loan.number, "amount": format_amount(-record.cash)},
    )


@login_required
@require_POST
def session_repayment(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    form = RepaymentForm(request.POST, session=session)
    done = submit(
        request,
        form,
        lambda data: sessions.session_repayment(
            actor=request.user,
            session=session,
            loan=data["loan"],
            interest=data["interest"] or 0,
            principal=data["principal"] or 0,
            today=bank_today(),
            idempotency_key=data["idempotency_key"],
        ),
        passed_on=PASSED_ON,
    )
    if done is not NOT_DONE:
        return _posted(request, session, _("The repayment was recorded."))
    return _detail(request, session, repayment=form, status=400)


@login_required
@require_POST
def session_withdrawal(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    form = WithdrawalForm(request.POST, session=session)
    done = submit(
        request,
        form,
        lambda data: sessions.session_withdrawal(
            actor=request.user,
            session=session,
            account=data["account"],
            amount=data["amount"],
            today=bank_today(),
            idempotency_key=data["idempotency_key"],
        ),
        passed_on=PASSED_ON,
    )
    if done is not NOT_DONE:
        return _posted(request, session, _("The withdrawal was paid."))
    return _detail(request, session, withdrawal=form, status=400)


@login_required
@require_POST
def session_team(request, session_id: int):
    """Replace the team working at an open session (the opener stays in it)."""
    session = selectors.session_get(request.user, session_id)
    form = SessionTeamForm(request.POST, viewer=request.user, session=session)
    if form.is_valid():
        try:
            sessions.session_team_set(
                actor=request.user, session=session, team=form.cleaned_data["team"]
            )
        except PASSED_ON:
            raise
        except DomainError as error:
            if error.field != "team":  # the session is no longer open: the form is not shown
                messages.error(request, error.message)
                return redirect("transaction_sessions:session_detail", session.pk)
            add_problems(form, error)
        else:
            return _posted(request, session, _("The session team was changed."))
    return _detail(request, session, team_form=form, status=400)


@login_required
@require_POST
def session_closing(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    form = ClosingForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: closing.session_closing_propose(
            actor=request.user,
            session=session,
            cash_carried=data["cash_carried"],
            today=bank_today(),
        ),
        passed_on=PASSED_ON,
    )
    if done is not NOT_DONE:
        return _posted(
            request,
            session,
            _("The closing waits for a controller: request #%(id)d.") % {"id": done.pk},
        )
    return _detail(request, session, closing_form=form, status=400)


# --- the cash book -------------------------------------------------------------------------------


@login_required
def cash_book_page(request, session_id: int):
    book = cashbook_selectors.cash_book(request.user, session_id)
    return render(
        request,
        "transaction_sessions/session_cash_book.html",
        {"book": book, "session": book.session, "languages": LANGUAGES},
    )


@login_required
def cash_book_pdf(request, session_id: int):
    book = cashbook_selectors.cash_book(request.user, session_id)
    content = render_pdf(
        "transaction_sessions/session_cash_book_pdf.html",
        {"book": book, "session": book.session, "printed_on": bank_today()},
        _language(request),
    )
    return _pdf(content, f"cash-book-{book.session.point.code}-{book.session.held_on:%Y%m%d}.pdf")


# --- the minutes ---------------------------------------------------------------------------------


class MinutesForm(forms.Form):
    chaired_by = forms.CharField(label=gettext_lazy("Chaired by"), max_length=120)
    commune_attendees = forms.CharField(
        label=gettext_lazy("Commune authorities present"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    associations = forms.MultipleChoiceField(
        label=gettext_lazy("Associations present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leaders = forms.MultipleChoiceField(
        label=gettext_lazy("Group leaders present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results = forms.CharField(
        label=gettext_lazy("Results of the session"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    issues_raised = forms.CharField(
        label=gettext_lazy("Issues raised"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decisions = forms.CharField(
        label=gettext_lazy("Conclusions and tasks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, associations, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["associations"].choices = [
            (str(row["association_unit"]), row["name"]) for row in associations
        ]
        self.fields["leaders"].choices = [
            (str(row["group"]), f"{row['leader']} ({row['name']})") for row in leaders
        ]


def _minutes_of(session):
    from ..models import BriefingMinutes

    return BriefingMinutes.objects.filter(session=session).first()


@login_required
def minutes_page(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    associations, leaders = selectors.minutes_prefill(session)
    saved = _minutes_of(session)
    initial = {
        "associations": [str(r["association_unit"]) for r in associations if r["present"]],
        "leaders": [str(r["group"]) for r in leaders if r["present"]],
    }
    if saved is not None:
        for name in ("chaired_by", "commune_attendees", "results", "issues_raised", "decisions"):
            initial[name] = getattr(saved, name)
    may_record = (
        access.can(request.user, Capability.RECORD_BRIEFING_MINUTES)
        and session.status != SessionStatus.CLOSED
    )
    form = MinutesForm(
        request.POST or None, initial=initial, associations=associations, leaders=leaders
    )
    if request.method == "POST":
        access.require(request.user, Capability.RECORD_BRIEFING_MINUTES)

        def save(data):
            present_units = set(data["associations"])
            present_groups = set(data["leaders"])
            return minutes.briefing_minutes_save(
                actor=request.user,
                session=session,
                chaired_by=data["chaired_by"],
                commune_attendees=data["commune_attendees"],
                associations_present=[
                    {**row, "present": str(row["association_unit"]) in present_units}
                    for row in associations
                ],
                leaders_present=[
                    {**row, "present": str(row["group"]) in present_groups} for row in leaders
                ],
                results=data["results"],
                issues_raised=data["issues_raised"],
                decisions=data["decisions"],
            )

        done = submit(request, form, save, passed_on=PASSED_ON)
        if done is not NOT_DONE:
            messages.success(request, _("The minutes were saved."))
            response = redirect("transaction_sessions:session_minutes", session.pk)
            response.status_code = 303
            return response
    return render(
        request,
        "transaction_sessions/session_minutes.html",
        {
            "session": session,
            "form": form,
            "minutes": saved,
            "may_record": may_record,
            "languages": LANGUAGES,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def minutes_pdf(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    saved = _minutes_of(session)
    if saved is None:
        raise NotFound("not_found", _("The minutes of this session are not written yet."))
    content = render_pdf(
        "transaction_sessions/session_minutes_pdf.html",
        {
            "session": session,
            "minutes": saved,
            "book": cashbook_selectors.cash_book_of(session),
            "printed_on": bank_today(),
        },
        _language(request),
    )
    return _pdf(content, f"minutes-{session.point.code}-{session.held_on:%Y%m%d}.pdf")


urlpatterns = [
    path("", session_list, name="session_list"),
    path("open/", session_open_page, name="session_open"),
    path("<int:session_id>/", session_detail, name="session_detail"),
    path("<int:session_id>/disburse/", session_disburse, name="session_disburse"),
    path("<int:session_id>/repayment/", session_repayment, name="session_repayment"),
    path("<int:session_id>/withdrawal/", session_withdrawal, name="session_withdrawal"),
    path("<int:session_id>/team/", session_team, name="session_team"),
    path("<int:session_id>/closing/", session_closing, name="session_closing"),
    path("<int:session_id>/cash-book/", cash_book_page, name="cash_book"),
    path("<int:session_id>/cash-book.pdf", cash_book_pdf, name="cash_book_pdf"),
    path("<int:session_id>/minutes/", minutes_page, name="session_minutes"),
    path("<int:session_id>/minutes.pdf", minutes_pdf, name="session_minutes_pdf"),
]
