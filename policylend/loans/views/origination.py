"""Pages of the first half of a loan's life: the application (Form 01/TD), the reviews, a group's
review list (Form 03/TD-like), the proposed decision, the disbursement, the approval notice
(Form 04/TD) and the contract as PDFs. Thin: parse the form, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound
from policylend.core.forms import NOT_DONE, add_problems
from policylend.households.selectors import households_visible_to
from policylend.programmes.selectors import programme_list
from policylend.users import access
from policylend.users.roles import Capability

from ..forms_origination import (
    APPLICATION_FIELDS,
    DISBURSEMENT_FIELDS,
    ApplicationForm,
    DecisionForm,
    DisbursementForm,
    ReviewForm,
)
from ..selectors.loans import loan_get
from ..selectors.origination import loan_document_pdf, review_list, review_meetings
from ..services.application import loan_apply
from ..services.decision import loan_decision_propose
from ..services.disbursement import commune_point, loan_disburse
from ..services.review import loan_review_record


def _run(request, form, action, field_map=None):
    """``core.forms.submit`` with the service's field names mapped to the form's."""
    if request.method != "POST" or not form.is_valid():
        return NOT_DONE
    try:
        return action(form.cleaned_data)
    except NotFound:
        raise
    except DomainError as error:
        if error.status == 403:
            raise
        add_problems(form, error, field_map)
        return NOT_DONE


def loan_url(loan) -> str:
    try:
        return reverse("loans:detail", args=[loan.pk])
    except NoReverseMatch:
        if loan.group_id:
            return reverse("loans:review_list", args=[loan.group_id])
        return reverse("loans:list")


def _form_page(request, form, title: str, loan=None, template="loans/origination_form.html"):
    return render(request, template, {"form": form, "title": title, "loan": loan})


# --- application -----------------------------------------------------------------------------------


def _programme_from(request, programmes):
    pk = request.POST.get("programme") or request.GET.get("programme")
    if pk and str(pk).isdigit():
        return programmes.filter(pk=int(pk)).first()
    return None


@login_required
def application_create(request):
    access.require(request.user, Capability.RECORD_LOAN_APPLICATIONS)
    programmes = programme_list(request.user, active=True)
    programme = _programme_from(request, programmes)
    household = None
    if request.GET.get("household", "").isdigit():
        household = households_visible_to(request.user).filter(pk=request.GET["household"]).first()
    initial = {"applied_on": timezone.localdate(), "programme": programme}
    if household is not None:
        initial["household_code"] = household.code
    form = ApplicationForm(
        request.POST or None, initial=initial, programmes=programmes, programme=programme
    )

    def action(data):
        found = households_visible_to(request.user).filter(code=data["household_code"]).first()
        if found is None:
            raise DomainError(
                "loans_household_unknown", _("No such household in your scope."), "household"
            )
        return loan_apply(
            actor=request.user,
            household=found,
            programme=data["programme"],
            amount=data["amount"],
            term_months=data["term_months"],
            purpose=data["purpose"],
            plan=data["plan"],
            programme_fields=form.programme_values(),
            funding_source=data["funding_source"],
            applied_on=data["applied_on"],
        )

    field_map = {
        **APPLICATION_FIELDS,
        **{f"programme_fields.{n[3:]}": n for n in form.programme_field_names()},
    }
    loan = _run(request, form, action, field_map)
    if loan is not NOT_DONE:
        messages.success(request, _("Application %(number)s was recorded.") % {"number": loan})
        return redirect(loan_url(loan))
    return render(
        request,
        "loans/origination_application_form.html",
        {"form": form, "title": _("New loan application")},
    )


@login_required
def application_fields(request):
    """The chosen programme's own fields (htmx swap into the application form)."""
    access.require(request.user, Capability.RECORD_LOAN_APPLICATIONS)
    programmes = programme_list(request.user, active=True)
    form = ApplicationForm(programmes=programmes, programme=_programme_from(request, programmes))
    return render(request, "loans/origination_programme_fields.html", {"form": form})


# --- reviews ---------------------------------------------------------------------------------------


@login_required
def group_review_list(request, group_id: int):
    group, rows, meetings = review_list(request.user, group_id)
    return render(
        request,
        "loans/origination_review_list.html",
        {"group": group, "rows": rows, "meetings": meetings},
    )


@login_required
def review_record(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.RECORD_LOAN_REVIEWS)
    form = ReviewForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate(), "stage": request.GET.get("stage", "group")},
        meetings=review_meetings(loan),
    )
    review = _run(
        request,
        form,
        lambda data: loan_review_record(
            actor=request.user,
            loan=loan,
            stage=data["stage"],
            decision=data["decision"],
            decided_on=data["decided_on"],
            meeting=data["meeting"],
            decided_by_name=data["decided_by_name"],
            decision_number=data["decision_number"],
            note=data["note"],
        ),
    )
    if review is not NOT_DONE:
        messages.success(request, _("The review was recorded."))
        return redirect(loan_url(loan))
    return _form_page(
        request, form, _("Record a review of loan %(number)s") % {"number": loan}, loan
    )


# --- decision --------------------------------------------------------------------------------------


@login_required
def decision_propose(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    form = DecisionForm(
        request.POST or None, initial={"approve": "1", "amount": loan.amount_requested}
    )
    approval = _run(
        request,
        form,
        lambda data: loan_decision_propose(
            actor=request.user,
            loan=loan,
            approve=data["approve"],
            amount=data["amount"],
            reason=data["reason"],
            today=timezone.localdate(),
        ),
    )
    if approval is not NOT_DONE:
        messages.success(
            request,
            _("Request #%(id)d waits for a checker.") % {"id": approval.pk},
        )
        return redirect(loan_url(loan))
    return _form_page(
        request, form, _("Propose the decision on loan %(number)s") % {"number": loan}, loan
    )


# --- disbursement ----------------------------------------------------------------------------------


@login_required
def disburse(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.DISBURSE_LOANS)
    form = DisbursementForm(request.POST or None, initial={"disbursed_on": timezone.localdate()})

    def action(data):
        point = None
        if data["place"] == "point":
            point = commune_point(loan)
            if point is None:
                raise DomainError(
                    "loans_disburse_point",
                    _("%(commune)s has no active transaction point.") % {"commune": loan.commune},
                    "at_point",
                )
        return loan_disburse(
            actor=request.user,
            loan=loan,
            disbursed_on=data["disbursed_on"],
            today=timezone.localdate(),
            idempotency_key=data["idempotency_key"],
            at_point=point,
        )

    record = _run(request, form, action, DISBURSEMENT_FIELDS)
    if record is not NOT_DONE:
        messages.success(request, _("Loan %(number)s was disbursed.") % {"number": loan})
        return redirect(loan_url(loan))
    return _form_page(request, form, _("Disburse loan %(number)s") % {"number": loan}, loan)


# --- documents -------------------------------------------------------------------------------------


def _pdf(request, loan_id: int, document: str) -> HttpResponse:
    language = (get_language() or "vi").split("-")[0]
    loan, content = loan_document_pdf(request.user, loan_id, document, language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document}-{loan.number}.pdf"'
    return response


@login_required
def notice_pdf(request, loan_id: int):
    return _pdf(request, loan_id, "notice")


@login_required
def contract_pdf(request, loan_id: int):
    return _pdf(request, loan_id, "contract")


urlpatterns = [
    path("applications/new/", application_create, name="application_create"),
    path("applications/new/fields/", application_fields, name="application_fields"),
    path("groups/<int:group_id>/reviews/", group_review_list, name="review_list"),
    path("<int:loan_id>/reviews/new/", review_record, name="review_record"),
    path("<int:loan_id>/decision/", decision_propose, name="decision_propose"),
    path("<int:loan_id>/disburse/", disburse, name="disburse"),
    path("<int:loan_id>/notice.pdf", notice_pdf, name="notice_pdf"),
    path("<int:loan_id>/contract.pdf", contract_pdf, name="contract_pdf"),
]
