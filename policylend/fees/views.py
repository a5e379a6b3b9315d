"""Pages of commissions and fees: the index, paying a session's commissions and fees, a unit's
fee statement (with its A4 PDF and Excel), transferring the other levels' shares, and the
commission terms with the form that proposes a change."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policylend.approvals.requesting import ReasonForm, request_recorded
from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.excel import Column, xlsx_response
from policylend.core.forms import NOT_DONE, DateInput, submit
from policylend.core.pdf import render_pdf
from policylend.core.periods import Month
from policylend.groups.models import SavingsGroup
from policylend.organisation.models import OrganisationUnit
from policylend.transaction_sessions.models import SessionStatus, TransactionSession
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors, services

PASSED_ON = (NotFound, Forbidden)
LANGUAGES = ("vi", "en", "hi")


def bank_today() -> date:
    return timezone.localdate()


def parse_month(text: str | None) -> Month | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Month.parse(text)
    except ValueError:
        return None


@login_required
def index(request):
    access.require(request.user, Capability.VIEW_FEES)
    sessions = (
        selectors.sessions_in_scope(request.user)
        .filter(status=SessionStatus.OPEN)
        .select_related("point")
        .order_by("-held_on")[:20]
    )
    return render(
        request,
        "fees/index.html",
        {
            "sessions": sessions,
            "units": selectors.units_in_scope(request.user).order_by("name")[:200],
            "fees": selectors.recent_fees(request.user),
            "commissions": selectors.commission_list(request.user)[:50],
        },
    )


@login_required
def session_pay(request, session_id: int):
    """What paying the session's commissions and fees would pay, and the buttons that pay."""
    session = selectors.session_get(request.user, session_id)
    if request.method == "POST":
        action = request.POST.get("action")
        key = (request.POST.get("idempotency_key") or "").strip()[:100] or uuid.uuid4().hex
        try:
            if action == "commissions":
                payments = services.commission_pay(
                    actor=request.user, session=session, today=bank_today(), idempotency_key=key
                )
                messages.success(
                    request,
                    _("Commissions paid to %(n)d groups, receipt %(entry)s.")
                    % {"n": len(payments), "entry": payments[0].entry_id},
                )
            elif action == "fees":
                fees = services.entrustment_fee_pay(
                    actor=request.user, session=session, today=bank_today(), idempotency_key=key
                )
                messages.success(
                    request,
                    _("Entrustment fees paid to %(n)d association units, receipt %(entry)s.")
                    % {"n": len(fees), "entry": fees[0].entry_id},
                )
        except PASSED_ON:
            raise
        except DomainError as error:
            for problem in error.problems:
                messages.error(request, problem.message)
        return redirect("fees:session_pay", session.pk)
    preview = selectors.session_preview(request.user, session)
    return render(
        request,
        "fees/session_pay.html",
        {
            "preview": preview,
            "session": session,
            "may_pay": access.can(request.user, Capability.PAY_FEES)
            and session.status == SessionStatus.OPEN,
            "key_commissions": uuid.uuid4().hex,
            "key_fees": uuid.uuid4().hex,
            "paid_entries": selectors.paid_entries(preview),
            "may_reverse": access.can(request.user, Capability.PAY_FEES),
            "reversal_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def payment_reversal(request, session_id: int, entry_id: int):
    """Ask to reverse the entry that paid a session's commissions or fees (maker–checker)."""
    session = selectors.session_get(request.user, session_id)
    selectors.payment_session(request.user, entry_id, session=session)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the reversal."))
        return redirect("fees:session_pay", session.pk)
    try:
        approval = services.payment_reversal_propose(
            actor=request.user,
            entry_id=entry_id,
            reason=form.cleaned_data["reason"],
            today=bank_today(),
        )
    except PASSED_ON:
        raise
    except DomainError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
        return redirect("fees:session_pay", session.pk)
    return request_recorded(request, approval)


def statement_columns() -> list[Column]:
    return [
        Column(_("Month"), lambda fee: fee.month.strftime("%m/%Y"), 10, text=True),
        Column(_("Session"), lambda fee: fee.session.held_on.strftime("%d/%m/%Y"), 12, text=True),
        Column(_("Contract"), lambda fee: fee.contract.number, 16, text=True),
        Column(_("Loans"), lambda fee: fee.loans_count),
        Column(_("Basis"), lambda fee: fee.basis_outstanding),
        Column(_("Rate a month (%)"), lambda fee: str(fee.rate_percent), 12, text=True),
        Column(_("Fee"), lambda fee: fee.amount),
        Column(_("Central"), lambda fee: fee.central_share),
        Column(_("Province"), lambda fee: fee.province_share),
        Column(_("District"), lambda fee: fee.district_share),
        Column(_("Commune (paid at the session)"), lambda fee: fee.commune_share),
        Column(
            _("Transferred on"),
            lambda fee: fee.transferred_on.strftime("%d/%m/%Y") if fee.transferred_on else "",
            12,
            text=True,
        ),
    ]


@login_required
def unit_statement(request, unit_id: int):
    unit = selectors.unit_get(request.user, unit_id)
    month = parse_month(request.GET.get("month"))
    fees = list(selectors.fee_statement(request.user, unit, month))
    totals = {
        "amount": sum(f.amount for f in fees),
        "commune": sum(f.commune_share for f in fees),
        "other": sum(f.other_levels for f in fees),
    }
    stem = f"fees-{unit.pk}" + (f"-{month.first_day:%Y%m}" if month else "")
    output = request.GET.get("format")
    context = {
        "unit": unit,
        "month": month,
        "fees": fees,
        "totals": totals,
        "printed_on": bank_today(),
    }
    if output == "pdf":
        language = request.GET.get("lang")
        if language not in LANGUAGES:
            language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "vi"
        response = HttpResponse(
            render_pdf("fees/pdf_statement.html", context, language),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
        return response
    if output == "xlsx":
        return xlsx_response(f"{stem}.xlsx", _("Entrustment fees"), statement_columns(), fees)
    context["may_transfer"] = access.can(request.user, Capability.PAY_FEES)
    context["key"] = uuid.uuid4().hex
    return render(request, "fees/statement.html", context)


@login_required
@require_POST
def fee_transfer(request, fee_id: int):
    fee = selectors.fee_get(request.user, fee_id)
    key = (request.POST.get("idempotency_key") or "").strip()[:100] or uuid.uuid4().hex
    try:
        services.fee_transfer(actor=request.user, fee=fee, today=bank_today(), idempotency_key=key)
        messages.success(request, _("The other levels' shares were transferred."))
    except PASSED_ON:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("fees:unit_statement", fee.association_unit_id)


@login_required
def terms_list(request):
    return render(
        request,
        "fees/terms_list.html",
        {
            "terms": selectors.commission_terms_list(request.user)[:500],
            "default_rate": f"{(services.default_commission_rate() * 100).normalize()} %",
            "may_propose": access.can(request.user, Capability.PROPOSE_COMMISSION_TERMS),
        },
    )


class CommissionTermsForm(forms.Form):
    group_code = forms.CharField(
        label=gettext_lazy("Group code (empty: the branch default)"), max_length=7, required=False
    )
    contract_number = forms.CharField(
        label=gettext_lazy("Authorisation contract number"), max_length=40, required=False
    )
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DateInput)
    rate_percent = forms.DecimalField(
        label=gettext_lazy("Commission, as a percentage of the interest collected"),
        max_digits=7,
        decimal_places=4,
        min_value=0,
        max_value=100,
    )


@login_required
def terms_propose(request):
    access.require(request.user, Capability.PROPOSE_COMMISSION_TERMS)
    form = CommissionTermsForm(request.POST or None)

    def action(data):
        group = None
        if data["group_code"]:
            group = (
                SavingsGroup.objects.filter(code=data["group_code"].strip())
                .filter(access.placed_q(request.user))
                .first()
            )
            if group is None:
                raise DomainError("not_found", _("No such group in your scope."), "group_code")
        branch = (
            group.branch
            if group is not None
            else OrganisationUnit.objects.get(pk=access.scope_of(request.user).branch_id)
        )
        return services.commission_terms_propose(
            actor=request.user,
            branch=branch,
            group=group,
            effective_from=data["effective_from"],
            rate=(data["rate_percent"] / 100).normalize(),
            contract_number=data["contract_number"],
            today=bank_today(),
        )

    approval = submit(request, form, action, passed_on=PASSED_ON)
    if approval is not NOT_DONE:
        messages.success(request, _("The change was sent for approval."))
        return redirect("fees:terms_list")
    return render(
        request,
        "fees/form.html",
        {"form": form, "title": _("Propose a group commission rate"), "back": "fees:terms_list"},
    )


urlpatterns = [
    path("", index, name="index"),
    path("sessions/<int:session_id>/", session_pay, name="session_pay"),
    path(
        "sessions/<int:session_id>/payments/<int:entry_id>/reversal/",
        payment_reversal,
        name="payment_reversal",
    ),
    path("units/<int:unit_id>/statement/", unit_statement, name="unit_statement"),
    path("entrustment-fees/<int:fee_id>/transfer/", fee_transfer, name="fee_transfer"),
    path("commission-terms/", terms_list, name="terms_list"),
    path("commission-terms/propose/", terms_propose, name="terms_propose"),
]

__all__ = ["TransactionSession", "urlpatterns"]
