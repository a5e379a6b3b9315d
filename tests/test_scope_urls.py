"""Every URL that takes an object id, walked as users of office A (and as the administrator of
another branch) asking for office B's objects. A user whose role may use that kind of page gets
404, exactly as for an id that does not exist; a role that may not use it at all gets 403 for any
id. Nobody gets the object, and the answers never tell whether it exists.

The table below must name every such URL: a new URL with an id and no row here fails the test,
so scope cannot be forgotten."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import TODAY
from policylend.approvals.services import approval_request_create
from policylend.ledger.approval_kinds import MANUAL_ENTRY
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.services import unit_create
from policylend.users.services import api_token_create

# url name → (which object of office B, HTTP method)
PAGES = {
    "users:token_revoke": ("token", "post"),
    "users:detail": ("user", "get"),
    "users:edit": ("user", "get"),
    "users:password": ("user", "get"),
    "organisation:unit_detail": ("commune", "get"),
    "organisation:unit_children": ("commune", "get"),
    "organisation:unit_edit": ("commune", "get"),
    "organisation:unit_move": ("village", "get"),
    "organisation:commune_merge": ("commune", "get"),
    "organisation:unit_close": ("village", "get"),
    "organisation:point_detail": ("point", "get"),
    "organisation:point_edit": ("point", "get"),
    "ledger:entry_detail": ("entry", "get"),
    "ledger:entry_reverse": ("entry", "get"),
    "approvals:detail": ("request", "get"),
    "approvals:approve": ("request", "post"),
    "approvals:reject": ("request", "post"),
    "approvals:withdraw": ("request", "post"),
    "households:detail": ("household", "get"),
    "households:edit": ("household", "get"),
    "households:person_add": ("household", "get"),
    "households:classification_add": ("household", "get"),
    "households:person_edit": ("person", "get"),
    "households:national_id": ("person", "post"),
    "associations:unit_detail": ("association_unit", "get"),
    "associations:unit_edit": ("association_unit", "get"),
    "associations:unit_plan": ("association_unit", "get"),
    "associations:inspection_create": ("association_unit", "get"),
    "associations:contract_detail": ("contract", "get"),
    "associations:terms_change": ("contract", "get"),
    "associations:inspection_detail": ("inspection", "get"),
    "groups:detail": ("group", "get"),
    "groups:edit": ("group", "get"),
    "groups:join": ("group", "get"),
    "groups:board_elect": ("group", "get"),
    "groups:meeting_create": ("group", "get"),
    "groups:dissolve": ("group", "get"),
    "groups:merge": ("group", "get"),
    "groups:split": ("group", "get"),
    "groups:leave": ("membership", "post"),
    "groups:move": ("membership", "get"),
    "groups:board_term_end": ("term", "post"),
    "groups:meeting_detail": ("meeting", "get"),
    "groups:grading_history": ("group", "get"),
    "imports:detail": ("import_job", "get"),
    "imports:progress": ("import_job", "get"),
    "imports:confirm": ("import_job", "post"),
    "loans:review_list": ("group", "get"),
    "loans:review_record": ("loan", "get"),
    "loans:decision_propose": ("loan", "get"),
    "loans:disburse": ("loan", "get"),
    "loans:notice_pdf": ("loan", "get"),
    "loans:contract_pdf": ("loan", "get"),
    "loans:changes_reschedule": ("loan", "get"),
    "loans:changes_extension": ("loan", "get"),
    "loans:risk_batch_detail": ("risk_batch", "get"),
    "loans:risk_dossier_add": ("risk_batch", "get"),
    "loans:risk_batch_submit": ("risk_batch", "post"),
    "loans:risk_evidence_add": ("risk_dossier", "post"),
    "loans:risk_evidence_file": ("risk_evidence", "get"),
    "loans:detail": ("loan", "get"),
    "loans:repay": ("loan", "get"),
    "loans:reversal_propose": ("loan", "get"),
    "transaction_sessions:point_calendar": ("point", "get"),
    "transaction_sessions:session_move": ("point", "get"),
    "transaction_sessions:office_calendar": ("office", "get"),
    "transaction_sessions:due_list": ("group", "get"),
    "transaction_sessions:sheet_detail": ("collection_sheet", "get"),
    "fees:session_pay": ("fees_session", "get"),
    "fees:unit_statement": ("association_unit", "get"),
    "fees:fee_transfer": ("fees_fee", "post"),
    "transaction_sessions:sheet_receipts": ("collection_sheet", "get"),
    "transaction_sessions:sheet_list_pdf": ("collection_sheet", "get"),
    "transaction_sessions:session_detail": ("sheet_session", "get"),
    "transaction_sessions:session_disburse": ("sheet_session", "post"),
    "transaction_sessions:session_repayment": ("sheet_session", "post"),
    "transaction_sessions:session_withdrawal": ("sheet_session", "post"),
    "transaction_sessions:session_closing": ("sheet_session", "post"),
    "transaction_sessions:session_team": ("sheet_session", "post"),
    "transaction_sessions:cash_book": ("sheet_session", "get"),
    "transaction_sessions:cash_book_pdf": ("sheet_session", "get"),
    "transaction_sessions:session_minutes": ("sheet_session", "get"),
    "transaction_sessions:session_minutes_pdf": ("sheet_session", "get"),
    "savings:group": ("group", "get"),
    "savings:detail": ("savings_account", "get"),
    "savings:deposit": ("savings_account", "get"),
    "savings:withdraw": ("savings_account", "get"),
    "savings:close": ("savings_account", "get"),
    "savings:loan_interest": ("savings_account", "get"),
    "savings:reversal": ("savings_account", "get"),
}
API = {
    "api:unit_get": ("commune", "get", ""),
    "api:unit_update": ("commune", "patch", ""),
    "api:unit_children": ("commune", "get", "/children"),
    "api:unit_history": ("commune", "get", "/history"),
    "api:unit_move": ("village", "post", "/move"),
    "api:commune_merge": ("commune", "post", "/merge"),
    "api:unit_close": ("village", "post", "/close"),
    "api:point_get": ("point", "get", ""),
    "api:point_update": ("point", "patch", ""),
    "api:entry_get": ("entry", "get", ""),
    "api:entry_reversal_propose": ("entry", "post", "/reversal"),
    "api:request_get": ("request", "get", ""),
    "api:request_approve": ("request", "post", "/approve"),
    "api:request_reject": ("request", "post", "/reject"),
    "api:request_withdraw": ("request", "post", "/withdraw"),
    "api:household_get": ("household", "get", ""),
    "api:household_update": ("household", "patch", ""),
    "api:household_member_add": ("household", "post", "/members"),
    "api:household_classification_add": ("household", "post", "/classifications"),
    "api:household_member_update": ("person", "patch", ""),
    "api:person_national_id_reveal": ("person", "post", "/national-id"),
    "api:association_unit_get": ("association_unit", "get", ""),
    "api:supervision_plan_get": ("association_unit", "get", "/plan/2026"),
    "api:supervision_plan_build": ("association_unit", "post", "/plan/2026"),
    "api:contract_get": ("contract", "get", ""),
    "api:contract_terms_change": ("contract", "post", "/terms-changes"),
    "api:inspection_get": ("inspection", "get", ""),
    "api:group_get": ("group", "get", ""),
    "api:grading_history": ("group", "get", "/grades"),
    "api:group_update": ("group", "patch", ""),
    "api:group_memberships": ("group", "get", "/memberships"),
    "api:membership_join": ("group", "post", "/memberships"),
    "api:group_board": ("group", "get", "/board"),
    "api:board_elect": ("group", "post", "/board"),
    "api:meeting_list": ("group", "get", "/meetings"),
    "api:meeting_record": ("group", "post", "/meetings"),
    "api:group_dissolve": ("group", "post", "/dissolve"),
    "api:group_merge": ("group", "post", "/merge"),
    "api:group_split": ("group", "post", "/split"),
    "api:membership_leave": ("membership", "post", "/leave"),
    "api:membership_move": ("membership", "post", "/move"),
    "api:board_term_end": ("term", "post", "/end"),
    "api:meeting_get": ("meeting", "get", ""),
    "api:job_get": ("import_job", "get", ""),
    "api:job_confirm": ("import_job", "post", "/confirm"),
    "api:loan_review_create": ("loan", "post", "/reviews"),
    "api:loan_decision_create": ("loan", "post", "/decision"),
    "api:loan_disbursement_create": ("loan", "post", "/disbursement"),
    "api:loan_notice_pdf": ("loan", "get", "/notice.pdf"),
    "api:loan_contract_pdf": ("loan", "get", "/contract.pdf"),
    "api:loan_reschedule_propose": ("loan", "post", "/reschedule-requests"),
    "api:loan_extension_propose": ("loan", "post", "/extension-requests"),
    "api:loan_detail_api": ("loan", "get", ""),
    "api:loan_schedule_api": ("loan", "get", "/schedule"),
    "api:loan_transactions_api": ("loan", "get", "/transactions"),
    "api:loan_owed_api": ("loan", "get", "/owed"),
    "api:loan_repayment_create": ("loan", "post", "/repayments"),
    "api:loan_reversal_create": ("loan", "post", "/reversals"),
    "api:risk_batch_read": ("risk_batch", "get", ""),
    "api:risk_batch_dossier_add": ("risk_batch", "post", "/dossiers"),
    "api:risk_batch_send": ("risk_batch", "post", "/submit"),
    "api:risk_dossier_evidence_add": ("risk_dossier", "post", "/evidence"),
    "api:session_point_calendar": ("session_point", "get", "/calendar"),
    "api:session_move_create": ("session_point", "post", "/moves"),
    "api:session_due_list": ("session_group", "get", "/due-list"),
    # The pre-filled sheet (GET) and its posting (POST) share one path.
    "api:session_sheet_prefill": ("sheet_session", "get", "/groups/0/sheet"),
    "api:session_sheet_post": ("sheet_session", "post", "/groups/0/sheet"),
    "api:collection_sheet_get": ("collection_sheet", "get", ""),
    "api:session_get": ("sheet_session", "get", ""),
    "api:session_cash_book": ("sheet_session", "get", "/cash-book"),
    "api:session_closing": ("sheet_session", "post", "/closing"),
    "api:session_team_put": ("sheet_session", "put", "/team"),
    "api:session_minutes_get": ("sheet_session", "get", "/minutes"),
    "api:session_minutes_put": ("sheet_session", "put", "/minutes"),
    "api:session_disbursement": ("sheet_session", "post", "/disbursements"),
    "api:session_withdrawal": ("sheet_session", "post", "/withdrawals"),
    "api:fees_session_preview": ("fees_session", "get", "/preview"),
    "api:fees_commission_pay": ("fees_session", "post", "/commissions"),
    "api:fees_entrustment_fee_pay": ("fees_session", "post", "/entrustment-fees"),
    "api:fees_fee_transfer": ("fees_fee", "post", "/transfer"),
    "api:fees_unit_statement": ("fees_unit", "get", "/statement"),
    "api:fees_payment_reversal": ("fees_payment", "post", "/reversal"),
    "api:collection_sheet_reversal_propose": ("collection_sheet", "post", "/reversal"),
    "api:account_detail_api": ("savings_account", "get", ""),
    "api:deposit_api": ("savings_account", "post", "/deposits"),
    "api:withdraw_api": ("savings_account", "post", "/withdrawals"),
    "api:loan_interest_api": ("savings_account", "post", "/loan-interest"),
    "api:close_api": ("savings_account", "post", "/close"),
    "api:reversal_api": ("savings_account", "post", "/reversals"),
}
API_BASE = {
    "commune": "/api/v1/organisation/units/{id}",
    "village": "/api/v1/organisation/units/{id}",
    "point": "/api/v1/organisation/points/{id}",
    "entry": "/api/v1/ledger/entries/{id}",
    "request": "/api/v1/approvals/requests/{id}",
    "household": "/api/v1/households/{id}",
    "person": "/api/v1/households/persons/{id}",
    "association_unit": "/api/v1/associations/units/{id}",
    "contract": "/api/v1/associations/contracts/{id}",
    "inspection": "/api/v1/associations/inspections/{id}",
    "group": "/api/v1/groups/{id}",
    "membership": "/api/v1/groups/memberships/{id}",
    "term": "/api/v1/groups/board-terms/{id}",
    "meeting": "/api/v1/groups/meetings/{id}",
    "import_job": "/api/v1/imports/{id}",
    "loan": "/api/v1/loans/{id}",
    "risk_batch": "/api/v1/loans/risk-batches/{id}",
    "risk_dossier": "/api/v1/loans/risk-dossiers/{id}",
    "session_point": "/api/v1/sessions/points/{id}",
    "session_group": "/api/v1/sessions/groups/{id}",
    "sheet_session": "/api/v1/sessions/{id}",
    "collection_sheet": "/api/v1/sessions/sheets/{id}",
    "fees_session": "/api/v1/fees/sessions/{id}",
    "fees_fee": "/api/v1/fees/entrustment-fees/{id}",
    "fees_unit": "/api/v1/fees/units/{id}",
    "fees_payment": "/api/v1/fees/payments/{id}",
    "savings_account": "/api/v1/savings/accounts/{id}",
}
API_BODY = {
    # "/move" and "/merge" also carry the fields of the groups' operations of the same name.
    "/move": {
        "new_parent_id": 0,
        "effective_on": "2026-11-20",
        "reason": "x",
        "to_group_id": 0,
        "moved_on": "2026-11-20",
    },
    "/merge": {
        "target_id": 0,
        "effective_on": "2026-11-20",
        "reason": "x",
        "merged_on": "2026-11-20",
    },
    "/close": {"closed_on": "2026-11-20"},
    "/reversal": {"reason": "x"},
    "/groups/0/sheet": {"rows": [{"household_id": 0}]},
    "/reject": {"reason": "x"},
    "/members": {"full_name": "x", "sex": "male", "relationship": "child"},
    "/classifications": {
        "year": 2026,
        "kind": "poor",
        "certified_by": "x",
        "certified_on": "2026-11-20",
    },
    "/terms-changes": {"effective_from": "2026-12-01", "terms": {"fee_rate_monthly": "0.0004"}},
    "/memberships": {"household_id": 0, "joined_on": "2026-11-20"},
    "/board": {"person_id": 0, "role": "leader", "started_on": "2026-11-20"},
    "/meetings": {"held_on": "2026-11-20", "kind": "regular"},
    "/dissolve": {"dissolved_on": "2026-11-20", "reason": "x"},
    "/split": {
        "new_code": "2070019",
        "new_name": "x",
        "household_ids": [],
        "split_on": "2026-11-20",
    },
    "/leave": {"left_on": "2026-11-20", "reason": "other"},
    "/end": {"ended_on": "2026-11-20"},
    "/confirm": {},
    "/reviews": {"stage": "group", "decision": "agreed", "decided_on": "2026-11-20"},
    "/decision": {"approve": True},
    "/disbursement": {"disbursed_on": "2026-11-20"},
    "/repayments": {"paid_on": "2026-11-20", "interest": 1},
    "/reversals": {"transaction_id": 0, "reason": "x"},
    "/reschedule-requests": {
        "instalment_id": 0,
        "new_due": "2026-12-21",
        "asked_on": "2026-11-20",
        "reason": "x",
    },
    "/extension-requests": {"months": 6, "asked_on": "2026-11-20", "reason": "x"},
    "/dossiers": {
        "loan_id": 0,
        "cause": "fire",
        "occurred_on": "2026-11-20",
        "loss_percent": 50,
        "loss_assessment": "x",
        "treatment": "freeze",
        "freeze_months": 12,
    },
    "/submit": {},
    "/evidence": {},
    "/moves": {"month": "12/2026", "held_on": "2026-12-22", "reason": "x"},
    "/deposits": {"value_date": "2026-11-20", "amount": 5000},
    "/withdrawals": {"value_date": "2026-11-20", "amount": 5000, "account_id": 0},
    "/closing": {"cash_carried": 0},
    "/team": {"team": []},
    "/minutes": {"chaired_by": "x"},
    "/disbursements": {"loan_id": 0},
    "/loan-interest": {"loan_id": 0, "amount": 5000, "paid_on": "2026-11-20"},
    "": {"name": "x", "address": "x"},
}


# URLs with two ids (a session and one of its groups): both of office B, then neither existing.
TWO_ID_PAGES = {
    "transaction_sessions:sheet_entry": (("sheet_session", "session_group"), "get"),
    "fees:payment_reversal": (("fees_session", "fees_payment"), "post"),
}


# The programme catalogue is the same for every branch: it has no office B object. Its URLs with
# an id answer 403 to a role that may not read programmes (the system administrator), whatever
# the id, and 404 to a reader for an id that does not exist.
# Public by design (no login): a transaction point's notice board, by the point's code. Anyone
# reads a real point; an unknown code is 404 for everyone.
PUBLIC = {
    "noticeboard:point_board": "/public/points/{code}/",
    "api:public_point_board": "/api/v1/public/points/{code}",
}
CATALOGUE_PAGES = {
    "programmes:detail": "get",
    "programmes:terms_change": "get",
}
CATALOGUE_API = {
    "api:programme_get": ("get", "/api/v1/programmes/{id}"),
    "api:programme_terms_on": ("get", "/api/v1/programmes/{id}/terms"),
    "api:programme_terms_change": ("post", "/api/v1/programmes/{id}/terms-changes"),
}


def routes_with_ids():
    found = set()

    def walk(patterns, namespace=None, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(
                    pattern.url_patterns,
                    pattern.namespace or namespace,
                    prefix + str(pattern.pattern),
                )
            elif isinstance(pattern, URLPattern) and "<" in prefix + str(pattern.pattern):
                found.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


def test_the_table_names_every_url_that_takes_an_id():
    assert routes_with_ids() == (
        set(PAGES)
        | set(API)
        | set(CATALOGUE_PAGES)
        | set(CATALOGUE_API)
        | set(PUBLIC)
        | set(TWO_ID_PAGES)
    )


@pytest.fixture
def office_b_objects(org, make_user):
    teller_b = make_user("teller", org.office_b, username="teller.b")
    staff = make_user("branch_staff", org.branch)
    entry = journal_entry_post(
        branch=org.branch,
        value_date=date(2026, 11, 20),
        kind="cash_transfer",
        memo="B only",
        lines=[
            debit("1011", 1000, office_id=org.office_b.pk),
            credit("1012", 1000, office_id=org.office_b.pk),
        ],
        idempotency_key="b-only",
        maker=staff,
        today=TODAY,
    )
    request = approval_request_create(
        kind=MANUAL_ENTRY,
        unit=org.office_b,
        maker=teller_b,
        today=TODAY,
        payload={
            "branch_id": org.branch.pk,
            "value_date": "2026-11-20",
            "memo": "B voucher",
            "lines": [
                debit("1011", 5, office_id=org.office_b.pk).as_dict(),
                credit("1012", 5, office_id=org.office_b.pk).as_dict(),
            ],
        },
    )
    token, _ = api_token_create(user=teller_b, name="B's token")
    association_unit, contract, inspection = _association_objects_of_office_b(org, make_user)
    return {
        "commune": org.commune_b1.pk,
        "village": org.villages["20700101"].pk,
        "point": org.points["207001"].pk,
        "entry": entry.pk,
        "request": request.pk,
        "user": teller_b.pk,
        "token": token.pk,
        **_household_objects_of_office_b(org),
        "association_unit": association_unit.pk,
        "contract": contract.pk,
        "inspection": inspection.pk,
        **_group_objects_of_office_b(org, make_user, association_unit),
        "import_job": _import_job_of_office_b(org, make_user).pk,
        "loan": _loan_of_office_b(org, make_user).pk,
        **_risk_objects_of_office_b(org, make_user),
        **_session_objects_of_office_b(org),
        **_sheet_objects_of_office_b(org, make_user),
        **_fee_objects_of_office_b(org, contract, association_unit),
        "savings_account": _savings_account_of_office_b(org, make_user).pk,
    }


def _savings_account_of_office_b(org, make_user):
    """The savings account of a member of the group of office B (the group above)."""
    from policylend.groups.models import SavingsGroup
    from policylend.savings.services import savings_account_open

    household = SavingsGroup.objects.get(code="2070011").memberships.first().household
    return savings_account_open(
        actor=make_user("teller", org.office_b, username="savings.teller.b"),
        household=household,
        opened_on=date(2026, 11, 20),
        today=TODAY,
        monthly_plan=50_000,
    )


def _session_objects_of_office_b(org):
    """The session calendar and due lists reach office B's point and group by their own paths."""
    from policylend.groups.models import SavingsGroup

    return {
        "office": org.office_b.pk,
        "session_point": org.points["207001"].pk,
        "session_group": SavingsGroup.objects.get(code="2070011").pk,
    }


def _sheet_objects_of_office_b(org, make_user):
    """A session of office B's point and a collection sheet of its group (rows written
    directly: only the ids matter here)."""
    from policylend.groups.models import SavingsGroup
    from policylend.transaction_sessions.models import CollectionSheet, TransactionSession

    point = org.points["207001"]
    teller = make_user("teller", org.office_b, username="sheet.teller.b")
    session = TransactionSession.objects.create(
        point=point,
        branch=org.branch,
        office=org.office_b,
        commune=point.commune,
        month=date(2026, 11, 1),
        held_on=date(2026, 11, 10),
        opened_by=teller,
    )
    entry = journal_entry_post(
        branch=org.branch,
        value_date=date(2026, 11, 10),
        kind="collection_sheet",
        memo="B sheet",
        lines=[
            debit("1011", 1000, office_id=org.office_b.pk),
            credit("1012", 1000, office_id=org.office_b.pk),
        ],
        idempotency_key="b-sheet",
        maker=teller,
        today=TODAY,
    )
    sheet = CollectionSheet.objects.create(
        session=session,
        group=SavingsGroup.objects.get(code="2070011"),
        entry=entry,
        idempotency_key="b-sheet",
        content_hash="0" * 64,
        posted_by=teller,
    )
    return {"sheet_session": session.pk, "collection_sheet": sheet.pk}


def _fee_objects_of_office_b(org, contract, association_unit):
    """An entrustment fee paid at the session of office B above (row written directly)."""
    from policylend.fees.models import EntrustmentFee
    from policylend.transaction_sessions.models import CollectionSheet

    sheet = CollectionSheet.objects.get(idempotency_key="b-sheet")
    fee = EntrustmentFee.objects.create(
        session=sheet.session,
        association_unit=association_unit,
        contract=contract,
        terms=contract.terms.first(),
        month=date(2026, 11, 1),
        basis_outstanding=1_000_000,
        loans_count=1,
        rate="0.00045",
        amount=450,
        central_share=14,
        province_share=23,
        district_share=36,
        commune_share=377,
        entry=sheet.entry,
        paid_by=sheet.posted_by,
    )
    return {
        "fees_session": sheet.session_id,
        "fees_fee": fee.pk,
        "fees_unit": association_unit.pk,
        "fees_payment": fee.entry_id,
    }


def _risk_objects_of_office_b(org, make_user):
    """A risk-handling batch of office B with a dossier of its loan and one evidence file."""
    from policylend.loans.models import Loan, RiskDossier, RiskEvidence
    from policylend.loans.services.risk import risk_batch_create

    officer = make_user("credit_officer", org.office_b, username="risk.officer.b")
    batch = risk_batch_create(actor=officer, office=org.office_b, name="B only")
    # The loan above is only an application: the dossier row is written directly.
    dossier = RiskDossier.objects.create(
        batch=batch,
        loan=Loan.objects.get(office=org.office_b),
        cause="fire",
        occurred_on=date(2026, 11, 1),
        loss_percent=50,
        loss_assessment="B only",
        treatment="freeze",
        freeze_months=12,
        created_by=officer,
    )
    evidence = RiskEvidence.objects.create(
        dossier=dossier,
        # Only the name: nobody out of scope reaches the file, so none is written to MEDIA_ROOT.
        file="risk-evidence/b-only.pdf",
        description="B only",
        uploaded_by=officer,
    )
    return {"risk_batch": batch.pk, "risk_dossier": dossier.pk, "risk_evidence": evidence.pk}


def _loan_of_office_b(org, make_user):
    """An application of a poor household of a group of office B (the group above)."""
    from policylend.groups.models import SavingsGroup
    from policylend.households.models import Classification
    from policylend.loans.services.application import loan_apply
    from policylend.programmes.models import Programme

    officer = make_user("credit_officer", org.office_b, username="loans.officer.b")
    household = SavingsGroup.objects.get(code="2070011").memberships.first().household
    Classification.objects.create(
        household=household,
        year=2026,
        kind="poor",
        certified_by="B",
        certified_on=date(2026, 1, 5),
        recorded_by=officer,
    )
    return loan_apply(
        actor=officer,
        household=household,
        programme=Programme.objects.get(code="01"),
        amount=10_000_000,
        term_months=12,
        purpose="B only",
        applied_on=date(2026, 11, 20),
    )


def _import_job_of_office_b(org, make_user):
    """A workbook uploaded (and checked) by a credit officer of office B."""
    from policylend.imports.services import import_job_create
    from policylend.imports.tests.workbooks import household, upload, workbook_bytes

    officer = make_user("credit_officer", org.office_b, username="officer.b")
    content = workbook_bytes(households=[household(1, village="20700101")])
    return import_job_create(actor=officer, upload=upload(content))


def _group_objects_of_office_b(org, make_user, association_unit):
    """A group of a commune of office B with a membership, a board term and a meeting."""
    from policylend.groups import services
    from policylend.households.rules import PersonInput
    from policylend.households.services import household_create

    village = org.villages["20700101"]
    households = [
        household_create(
            actor=None,
            village=village,
            head=PersonInput(full_name=f"Hộ {name}", sex="male", relationship="head"),
        )
        for name in ("An", "Bình", "Cúc", "Dung", "Em")
    ]
    officer = make_user("credit_officer", org.office_b)
    group = services.group_create(
        actor=officer,
        code="2070011",
        name="B only",
        village=village,
        association_unit=association_unit,
        founded_on=date(2025, 1, 1),
        approval_decision="1/QĐ",
        approval_decision_on=date(2025, 1, 1),
        households=households,
        today=TODAY,
    )
    term = services.board_elect(
        actor=officer,
        group=group,
        person=households[0].head,
        role="leader",
        started_on=date(2025, 1, 1),
        today=TODAY,
    )
    meeting = services.meeting_record(
        actor=officer,
        group=group,
        held_on=date(2025, 2, 1),
        kind="regular",
        attendee_ids=[],
        today=TODAY,
    )
    return {
        "group": group.pk,
        "membership": group.memberships.first().pk,
        "term": term.pk,
        "meeting": meeting.pk,
    }


def _association_objects_of_office_b(org, make_user):
    """A Farmers' unit of a commune of office B, its contract and an inspection it recorded."""
    from policylend.associations.models import Association
    from policylend.associations.rules import TermsInput
    from policylend.associations.services import (
        association_unit_create,
        contract_create,
        inspection_record,
    )

    unit = association_unit_create(
        actor=None,
        association=Association.objects.get(code="11"),
        unit=org.commune_b1,
        name="Hội Nông dân xã Hoàng Văn Thụ",
    )
    contract = contract_create(
        actor=make_user("system_admin", org.branch),
        association_unit=unit,
        bank_unit=org.office_b,
        number="B-01",
        signed_on=date(2025, 1, 1),
        valid_from=date(2025, 1, 1),
        tasks=["communicate"],
        terms=TermsInput(),
    )
    inspection = inspection_record(
        actor=make_user("association_officer", org.commune_b1, association_code="11"),
        association_unit=unit,
        loan_ref=1,
        inspected_on=date(2026, 11, 20),
        inspector_name="B",
        checked=["loan_use"],
        findings="B only",
        today=TODAY,
    )
    return unit, contract, inspection


def _household_objects_of_office_b(org):
    """A household of a village of office B, and its head."""
    from policylend.households.rules import PersonInput
    from policylend.households.services import household_create

    household = household_create(
        actor=None,
        village=org.villages["20700102"],
        head=PersonInput("Lộc Văn B", "male", "head", national_id="020079000001"),
        code="2070019001",
    )
    return {"household": household.pk, "person": household.head_id}


@pytest.fixture
def outsiders(org, make_user):
    """The most capable users who must still not reach office B's objects."""
    other_branch = unit_create(
        kind="branch",
        code="750",
        name="Cao Bằng",
        parent=None,
        opened_on=date(2020, 1, 1),
        actor=None,
    )
    return {
        "controller of office A": make_user("controller", org.office_a),
        "teller of office A": make_user("teller", org.office_a),
        "administrator of another branch": make_user("system_admin", other_branch),
        "auditor of office A": make_user("auditor", org.office_a),
        "credit officer of office A": make_user("credit_officer", org.office_a),
    }


MISSING = 99_999_999


def _check(answers: dict[str, tuple[int, int]], where: str) -> None:
    """``answers``: who → (status for office B's object, status for an id that does not exist)."""
    for who, (for_b, for_missing) in answers.items():
        assert for_b in (403, 404), f"{who} got {for_b} on {where}"
        assert for_b == for_missing, (
            f"{who}: {for_b} for office B's object, {for_missing} for no object, on {where}"
        )
    assert 404 in {for_b for for_b, _ in answers.values()}, (
        f"nobody with the right role was tried on {where}"
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_answer_404_for_office_b_objects(name, office_b_objects, outsiders):
    from django.urls import reverse

    kind, method = PAGES[name]
    answers = {}
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        statuses = []
        for object_id in (office_b_objects[kind], MISSING):
            url = reverse(name, args=[object_id])
            response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
            statuses.append(response.status_code)
        answers[who] = tuple(statuses)
    _check(answers, name)


@pytest.mark.parametrize("name", sorted(TWO_ID_PAGES))
def test_pages_with_two_ids_answer_404_for_office_b_objects(name, office_b_objects, outsiders):
    from django.urls import reverse

    kinds, method = TWO_ID_PAGES[name]
    answers = {}
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        statuses = []
        for ids in ([office_b_objects[kind] for kind in kinds], [MISSING] * len(kinds)):
            response = getattr(client, method)(reverse(name, args=ids))
            statuses.append(response.status_code)
        answers[who] = tuple(statuses)
    _check(answers, name)


@pytest.mark.parametrize("name", sorted(API))
def test_api_answers_404_for_office_b_objects(name, office_b_objects, outsiders):
    kind, method, suffix = API[name]
    answers = {}
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        statuses = []
        for number, object_id in enumerate((office_b_objects[kind], MISSING)):
            url = API_BASE[kind].format(id=object_id) + suffix
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(
                    url,
                    API_BODY.get(suffix, {}),
                    content_type="application/json",
                    headers={"Idempotency-Key": f"k-{name}-{number}"},
                )
            statuses.append(response.status_code)
        answers[who] = tuple(statuses)
    _check(answers, name)


@pytest.mark.parametrize("name", sorted(CATALOGUE_PAGES) + sorted(CATALOGUE_API))
def test_catalogue_urls_answer_403_to_non_readers_and_404_for_no_object(name, org, make_user):
    from django.urls import reverse

    from policylend.programmes.models import Programme

    real = Programme.objects.get(code="01").pk
    admin = Client()
    admin.force_login(make_user("system_admin", org.branch))
    staff = Client()
    staff.force_login(make_user("branch_staff", org.branch))

    def call(client, object_id):
        if name in CATALOGUE_PAGES:
            return getattr(client, CATALOGUE_PAGES[name])(reverse(name, args=[object_id]))
        method, path = CATALOGUE_API[name]
        url = path.format(id=object_id)
        if method == "get":
            return client.get(url)
        return client.post(url, {"effective_from": "2027-01-01"}, content_type="application/json")

    assert call(admin, real).status_code == 403
    assert call(admin, MISSING).status_code == 403
    assert call(staff, MISSING).status_code == 404


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_answer_anyone_for_a_real_point_and_404_for_an_unknown_code(name, org):
    client = Client()
    assert client.get(PUBLIC[name].format(code="TXN206001")).status_code == 200
    assert client.get(PUBLIC[name].format(code="TXN999999")).status_code == 404
