"""Pages that change a loan after disbursement: asking to reschedule an instalment or to extend
the loan (each then waits for a checker), risk-handling batches with their dossiers and evidence,
and the run that returns loans to repayment when their freeze has ended."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.forms import NOT_DONE, DateInput, MoneyField, add_problems, submit
from policylend.core.pagination import paginate
from policylend.users import access
from policylend.users.roles import Capability

from ..models import RiskBatchStatus, RiskCause, RiskEvidence, RiskTreatment
from ..selectors.changes import (
    risk_batch_get,
    risk_batch_list,
    risk_dossier_get,
    risk_dossiers_of,
)
from ..selectors.loans import loan_get, loans_in_scope
from ..services import reschedule, risk

PASSED_ON = (NotFound, Forbidden)


def _today():
    return timezone.localdate()


# --- forms -------------------------------------------------------------------------------------


class RescheduleForm(forms.Form):
    instalment = forms.TypedChoiceField(label=gettext_lazy("Instalment"), coerce=int)
    new_due = forms.DateField(label=gettext_lazy("New due date"), widget=DateInput())
    amount = MoneyField(
        label=gettext_lazy("Principal to move"),
        required=False,
        help_text=gettext_lazy("Leave empty to move all of the instalment's unpaid principal."),
    )
    asked_on = forms.DateField(label=gettext_lazy("Asked on (Form 08/TD)"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=reschedule.REASON_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, instalments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [
            (
                row.pk,
                f"{row.number} · {row.due_session:%d/%m/%Y} · {row.principal_unpaid:,}".replace(
                    ",", "."
                ),
            )
            for row in instalments
            if row.status == "pending"
        ]


class ExtensionForm(forms.Form):
    months = forms.IntegerField(
        label=gettext_lazy("Extension (months)"), min_value=1, max_value=120
    )
    asked_on = forms.DateField(label=gettext_lazy("Asked on"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=reschedule.REASON_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=risk.NAME_LENGTH_MAX)
    office = forms.ModelChoiceField(label=gettext_lazy("Transaction office"), queryset=None)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class DossierForm(forms.Form):
    loan_number = forms.CharField(label=gettext_lazy("Contract number"), max_length=20)
    cause = forms.ChoiceField(label=gettext_lazy("Cause"), choices=RiskCause.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Happened on"), widget=DateInput())
    loss_percent = forms.IntegerField(
        label=gettext_lazy("Assessed loss (%)"), min_value=0, max_value=100
    )
    loss_assessment = forms.CharField(
        label=gettext_lazy("Loss assessment"),
        max_length=risk.ASSESSMENT_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    treatment = forms.ChoiceField(label=gettext_lazy("Treatment"), choices=RiskTreatment.choices)
    freeze_months = forms.IntegerField(
        label=gettext_lazy("Freeze (months)"), min_value=1, max_value=60, required=False
    )
    extension_months = forms.IntegerField(
        label=gettext_lazy("Extension (months)"), min_value=1, max_value=120, required=False
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG or PNG, at most 10 MB)"))
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=risk.DESCRIPTION_LENGTH_MAX
    )


# --- a loan's schedule changes -----------------------------------------------------------------


def _proposed(request, approval):
    messages.success(
        request, _("Request #%(id)d was recorded; it waits for a checker.") % {"id": approval.pk}
    )
    return redirect("approvals:detail", request_id=approval.pk)


@login_required
def reschedule_propose(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    rows = reschedule.current_instalments(loan)
    form = RescheduleForm(request.POST or None, instalments=rows, initial={"asked_on": _today()})
    by_id = {row.pk: row for row in rows}
    approval = submit(
        request,
        form,
        lambda data: reschedule.reschedule_propose(
            actor=request.user,
            loan=loan,
            instalment=by_id[data["instalment"]],
            new_due=data["new_due"],
            amount=data["amount"],
            asked_on=data["asked_on"],
            reason=data["reason"],
            today=_today(),
        ),
        passed_on=PASSED_ON,
    )
    if approval is not NOT_DONE:
        return _proposed(request, approval)
    return render(
        request,
        "loans/changes_reschedule_form.html",
        {"form": form, "loan": loan, "instalments": rows},
    )


@login_required
def extension_propose(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    form = ExtensionForm(request.POST or None, initial={"asked_on": _today()})
    approval = submit(
        request,
        form,
        lambda data: reschedule.extension_propose(
            actor=request.user,
            loan=loan,
            months=data["months"],
            asked_on=data["asked_on"],
            reason=data["reason"],
            today=_today(),
        ),
        passed_on=PASSED_ON,
    )
    if approval is not NOT_DONE:
        return _proposed(request, approval)
    return render(
        request,
        "loans/changes_extension_form.html",
        {
            "form": form,
            "loan": loan,
            "maturity": reschedule.current_maturity(loan),
            "months_max": loan.term_months // 2,
            "months_done": reschedule.extended_months(loan),
        },
    )


# --- risk handling -----------------------------------------------------------------------------


@login_required
def risk_batch_index(request):
    status = request.GET.get("status")
    status = status if status in RiskBatchStatus.values else None
    page = paginate(request, risk_batch_list(request.user, status=status))
    return render(
        request,
        "loans/changes_batch_list.html",
        {
            "page": page,
            "status": status or "",
            "statuses": RiskBatchStatus.choices,
            "can_propose": access.can(request.user, Capability.PROPOSE_LOAN_DECISIONS),
            "can_run": access.can(request.user, Capability.RUN_LOAN_JOBS),
        },
    )


@login_required
def risk_batch_create(request):
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    offices = access.units_visible_to(request.user).filter(kind="office").order_by("code")
    form = BatchForm(request.POST or None, offices=offices)
    batch = submit(
        request,
        form,
        lambda data: risk.risk_batch_create(
            actor=request.user, office=data["office"], name=data["name"]
        ),
        passed_on=PASSED_ON,
    )
    if batch is not NOT_DONE:
        return redirect("loans:risk_batch_detail", batch_id=batch.pk)
    return render(request, "loans/changes_batch_form.html", {"form": form})


def _batch_context(request, batch, **forms_):
    editable = batch.status == RiskBatchStatus.DRAFT and access.can(
        request.user, Capability.PROPOSE_LOAN_DECISIONS
    )
    return {
        "batch": batch,
        "dossiers": risk_dossiers_of(batch),
        "editable": editable,
        "evidence_form": forms_.get("evidence_form") or EvidenceForm(),
        "blank_evidence_form": EvidenceForm(),
        "evidence_dossier": forms_.get("evidence_dossier"),
    }


@login_required
def risk_batch_detail(request, batch_id: int):
    batch = risk_batch_get(request.user, batch_id)
    return render(request, "loans/changes_batch_detail.html", _batch_context(request, batch))


@login_required
def risk_dossier_add(request, batch_id: int):
    batch = risk_batch_get(request.user, batch_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    form = DossierForm(request.POST or None)

    def add(data):
        loan = loans_in_scope(request.user).filter(number=data["loan_number"].strip()).first()
        if loan is None:
            raise DomainError("not_found", _("No such loan in your scope."), "loan_number")
        return risk.risk_dossier_add(
            actor=request.user,
            batch=batch,
            loan=loan,
            cause=data["cause"],
            occurred_on=data["occurred_on"],
            loss_percent=data["loss_percent"],
            loss_assessment=data["loss_assessment"],
            treatment=data["treatment"],
            freeze_months=data["freeze_months"],
            extension_months=data["extension_months"],
            today=_today(),
        )

    dossier = submit(request, form, add, passed_on=PASSED_ON)
    if dossier is not NOT_DONE:
        messages.success(
            request,
            _("The dossier of loan %(number)s was added.") % {"number": dossier.loan.number},
        )
        return redirect("loans:risk_batch_detail", batch_id=batch.pk)
    return render(request, "loans/changes_dossier_form.html", {"form": form, "batch": batch})


@login_required
@require_POST
def risk_evidence_add(request, dossier_id: int):
    dossier = risk_dossier_get(request.user, dossier_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            risk.risk_evidence_add(
                actor=request.user,
                dossier=dossier,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except PASSED_ON:
            raise
        except DomainError as error:
            add_problems(form, error)
        else:
            return redirect("loans:risk_batch_detail", batch_id=dossier.batch_id)
    context = _batch_context(
        request, dossier.batch, evidence_form=form, evidence_dossier=dossier.pk
    )
    return render(request, "loans/changes_batch_detail.html", context, status=422)


@login_required
def risk_evidence_file(request, evidence_id: int):
    access.require(request.user, Capability.VIEW_LOANS)
    evidence = RiskEvidence.objects.filter(pk=evidence_id).select_related("dossier").first()
    if evidence is None:
        raise NotFound("not_found", _("No such file in your scope."))
    risk_dossier_get(request.user, evidence.dossier_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=False,
        filename=evidence.file.name.rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def risk_batch_submit(request, batch_id: int):
    batch = risk_batch_get(request.user, batch_id)
    try:
        approval = risk.risk_batch_submit(actor=request.user, batch=batch, today=_today())
    except PASSED_ON:
        raise
    except DomainError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
        return redirect("loans:risk_batch_detail", batch_id=batch.pk)
    return _proposed(request, approval)


@login_required
@require_POST
def freeze_end(request):
    access.require(request.user, Capability.RUN_LOAN_JOBS)
    scope = access.scope_of(request.user)
    unit = access.unit_get_visible(request.user, scope.unit_id)
    try:
        moved = risk.freeze_end_run(actor=request.user, branch=unit, today=_today())
    except PASSED_ON:
        raise
    except DomainError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
    else:
        messages.success(
            request, _("%(n)d loans returned to repayment after their freeze.") % {"n": moved}
        )
    return redirect("loans:risk_batch_list")


urlpatterns = [
    path("<int:loan_id>/reschedule/", reschedule_propose, name="changes_reschedule"),
    path("<int:loan_id>/extension/", extension_propose, name="changes_extension"),
    path("risk/", risk_batch_index, name="risk_batch_list"),
    path("risk/new/", risk_batch_create, name="risk_batch_create"),
    path("risk/freeze-end/", freeze_end, name="freeze_end_run"),
    path("risk/<int:batch_id>/", risk_batch_detail, name="risk_batch_detail"),
    path("risk/<int:batch_id>/dossiers/new/", risk_dossier_add, name="risk_dossier_add"),
    path("risk/<int:batch_id>/submit/", risk_batch_submit, name="risk_batch_submit"),
    path("risk/dossiers/<int:dossier_id>/evidence/", risk_evidence_add, name="risk_evidence_add"),
    path("risk/evidence/<int:evidence_id>/", risk_evidence_file, name="risk_evidence_file"),
]
