"""Rescheduling, extension and risk handling through the services and maker–checker, on the
real database (both engines); the ledger is verified after every step."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError, Forbidden
from policylend.ledger.models import JournalLine
from policylend.ledger.verification import verify_ledger
from policylend.loans.error_codes import ChangeErrorCode as E
from policylend.loans.models import (
    Instalment,
    Loan,
    LoanStatus,
    LoanTransaction,
    RiskBatchStatus,
    ScheduleVersion,
)
from policylend.loans.services import reschedule, risk
from policylend.loans.services.common import accrue_to

from .changes_fixtures import disbursed_loan

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(org, make_user):
    return {
        "maker": make_user("credit_officer", org.office_a),
        "checker": make_user("controller", org.office_a),
    }


@pytest.fixture
def loan(org, people):
    return disbursed_loan(org, people["maker"])


def ledger_clean():
    result = verify_ledger()
    assert result.ok, result.problems


def instalments(loan):
    return list(Instalment.objects.filter(loan=loan, schedule__is_current=True).order_by("number"))


def approve(request, checker, today):
    return approval_request_approve(request_id=request.pk, checker=checker, today=today)


def balance(code, loan):
    return sum(
        JournalLine.objects.filter(account__code=code, loan_ref=loan.pk).values_list(
            "amount", flat=True
        )
    )


# --- rescheduling ------------------------------------------------------------------------------

FRIDAY_BEFORE = date(2027, 3, 12)  # the first instalment is collected on Sunday 21/03/2027
MONDAY_BEFORE = date(2027, 3, 15)


def propose_reschedule(loan, maker, *, asked_on, new_due, amount=None, number=1):
    return reschedule.reschedule_propose(
        actor=maker,
        loan=loan,
        instalment=instalments(loan)[number - 1],
        new_due=new_due,
        amount=amount,
        asked_on=asked_on,
        reason="Bò bị bệnh, chưa bán được",
        today=asked_on,
    )


def test_rescheduling_asked_four_working_days_before_refused_five_accepted(loan, people):
    with pytest.raises(DomainError) as refused:
        propose_reschedule(loan, people["maker"], asked_on=MONDAY_BEFORE, new_due=date(2027, 6, 21))
    assert refused.value.code == E.TOO_LATE
    assert "4 working days" in refused.value.message

    request = propose_reschedule(
        loan, people["maker"], asked_on=FRIDAY_BEFORE, new_due=date(2027, 6, 21), amount=3_000_000
    )
    approve(request, people["checker"], FRIDAY_BEFORE)

    # then: a new version; the first kept as history
    versions = list(ScheduleVersion.objects.filter(loan=loan).order_by("number"))
    assert [(v.number, v.kind, v.is_current) for v in versions] == [
        (1, "initial", False),
        (2, "reschedule", True),
    ]
    assert Instalment.objects.filter(schedule=versions[0]).count() == 6
    rows = instalments(loan)
    assert [r.number for r in rows] == list(range(1, 8))
    assert [(r.principal, r.due_session) for r in rows[:3]] == [
        (5_300_000, date(2027, 3, 21)),
        (3_000_000, date(2027, 6, 21)),
        (8_300_000, date(2027, 9, 21)),
    ]
    assert rows[1].due_extended == date(2027, 6, 21)
    assert sum(r.principal for r in rows) == 50_000_000
    ledger_clean()


def test_rescheduling_to_the_next_date_merges_past_it_is_refused(loan, people):
    with pytest.raises(DomainError) as refused:
        propose_reschedule(loan, people["maker"], asked_on=FRIDAY_BEFORE, new_due=date(2027, 9, 22))
    assert refused.value.code == E.PAST_NEXT_INSTALMENT

    request = propose_reschedule(
        loan, people["maker"], asked_on=FRIDAY_BEFORE, new_due=date(2027, 9, 21)
    )
    approve(request, people["checker"], FRIDAY_BEFORE)
    rows = instalments(loan)
    assert [r.principal for r in rows] == [16_600_000, 8_300_000, 8_300_000, 8_300_000, 8_500_000]
    assert rows[0].due_session == date(2027, 9, 21)


def test_the_last_instalment_is_refused_and_maker_cannot_check(loan, people):
    with pytest.raises(DomainError) as refused:
        propose_reschedule(
            loan, people["maker"], asked_on=date(2029, 9, 10), new_due=date(2029, 10, 21), number=6
        )
    assert refused.value.code == E.LAST_INSTALMENT

    request = propose_reschedule(
        loan, people["maker"], asked_on=FRIDAY_BEFORE, new_due=date(2027, 6, 21)
    )
    with pytest.raises(Forbidden):
        approve(request, people["maker"], FRIDAY_BEFORE)
    assert ScheduleVersion.objects.filter(loan=loan).count() == 1


# --- extension ---------------------------------------------------------------------------------


def propose_extension(loan, maker, months, today=date(2026, 11, 25)):
    return reschedule.extension_propose(
        actor=maker, loan=loan, months=months, asked_on=today, reason="Thiên tai", today=today
    )


def test_extension_over_half_the_term_refused_within_it_applied(loan, people):
    with pytest.raises(DomainError) as refused:
        propose_extension(loan, people["maker"], 19)
    assert refused.value.code == E.EXTENSION_TOO_LONG

    approve(propose_extension(loan, people["maker"], 12), people["checker"], date(2026, 11, 25))
    loan.refresh_from_db()
    assert loan.maturity_extended_on == date(2030, 9, 21)
    rows = instalments(loan)
    assert sum(r.principal for r in rows) == 50_000_000
    assert rows[-1].due_extended == date(2030, 9, 21)
    assert ScheduleVersion.objects.get(loan=loan, is_current=True).kind == "extension"

    with pytest.raises(DomainError) as refused:
        propose_extension(loan, people["maker"], 7)
    assert refused.value.code == E.EXTENSION_TOO_LONG
    assert "already extended 12" in refused.value.message
    ledger_clean()


def test_extension_brings_overdue_principal_back_in_term(org, people):
    from policylend.loans.services.overdue import overdue_run

    loan = disbursed_loan(org, people["maker"], disbursed_on=date(2026, 5, 21), term_months=24)
    overdue_run(
        actor=people["checker"],
        unit=org.office_a,
        session_date=date(2026, 11, 21),
        today=date(2026, 11, 25),
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OVERDUE
    overdue = loan.principal_overdue
    assert overdue > 0

    approve(propose_extension(loan, people["maker"], 6), people["checker"], date(2026, 11, 25))
    loan.refresh_from_db()
    assert (loan.status, loan.principal_overdue, loan.principal_in_term) == (
        LoanStatus.IN_TERM,
        0,
        50_000_000,
    )
    assert balance("2112.01", loan) == 0
    assert not [r for r in instalments(loan) if r.status == "overdue"]
    ledger_clean()


# --- risk handling -----------------------------------------------------------------------------

TODAY = date(2026, 11, 25)


def batch_with(loan, maker, **dossier):
    batch = risk.risk_batch_create(actor=maker, office=loan.office, name="Đợt 2/2026")
    added = risk.risk_dossier_add(
        actor=maker,
        batch=batch,
        loan=loan,
        occurred_on=date(2026, 9, 30),
        loss_assessment="Lũ quét cuốn trôi chuồng trại",
        today=TODAY,
        **{"cause": "natural_disaster", **dossier},
    )
    risk.risk_evidence_add(
        actor=maker,
        dossier=added,
        file=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
        description="Biên bản xác định thiệt hại",
    )
    return batch


def test_loss_band_limits_the_freeze(loan, people):
    batch = risk.risk_batch_create(actor=people["maker"], office=loan.office, name="Đợt")
    common = {
        "actor": people["maker"],
        "batch": batch,
        "loan": loan,
        "cause": "epidemic",
        "occurred_on": date(2026, 9, 30),
        "loss_assessment": "Dịch tả lợn châu Phi",
        "treatment": "freeze",
        "today": TODAY,
    }
    with pytest.raises(DomainError) as refused:
        risk.risk_dossier_add(loss_percent=70, freeze_months=37, **common)
    assert refused.value.code == E.FREEZE_TOO_LONG
    with pytest.raises(DomainError) as refused:
        risk.risk_dossier_add(loss_percent=30, freeze_months=12, **common)
    assert refused.value.code == E.TREATMENT_NOT_ALLOWED
    assert risk.risk_dossier_add(loss_percent=70, freeze_months=36, **common).pk


def test_a_batch_without_evidence_cannot_be_submitted_and_evidence_must_be_a_document(loan, people):
    batch = risk.risk_batch_create(actor=people["maker"], office=loan.office, name="Đợt")
    dossier = risk.risk_dossier_add(
        actor=people["maker"],
        batch=batch,
        loan=loan,
        cause="fire",
        occurred_on=date(2026, 9, 30),
        loss_percent=50,
        loss_assessment="Cháy nhà",
        treatment="freeze",
        freeze_months=24,
        today=TODAY,
    )
    with pytest.raises(DomainError) as refused:
        risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY)
    assert refused.value.code == E.EVIDENCE_MISSING
    with pytest.raises(DomainError) as refused:
        risk.risk_evidence_add(
            actor=people["maker"],
            dossier=dossier,
            file=SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/pdf"),
            description="x",
        )
    assert refused.value.code == E.EVIDENCE_TYPE
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(DomainError) as refused:
        risk.risk_evidence_add(actor=people["maker"], dossier=dossier, file=big, description="x")
    assert refused.value.code == E.EVIDENCE_TOO_LARGE


def test_freeze_posts_stops_accrual_and_ends_with_a_new_schedule(org, loan, people):
    batch = batch_with(loan, people["maker"], loss_percent=60, treatment="freeze", freeze_months=24)
    request = risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY)
    with pytest.raises(Forbidden):
        approve(request, people["maker"], TODAY)
    approve(request, people["checker"], TODAY)

    loan.refresh_from_db()
    batch.refresh_from_db()
    assert batch.status == RiskBatchStatus.APPROVED
    assert loan.status == LoanStatus.FROZEN
    assert (loan.principal_in_term, loan.principal_frozen) == (0, 50_000_000)
    assert balance("2113.01", loan) == 50_000_000
    assert balance("2111.01", loan) == 0
    # Interest to the freeze was posted first: 50,000,000 × 6.6 % × 65 days / 360.
    assert loan.interest_receivable == 595_833
    dossier = batch.dossiers.get()
    assert dossier.freeze_until == date(2028, 11, 25)
    assert LoanTransaction.objects.filter(loan=loan, kind="freeze").count() == 1
    # Frozen debt accrues nothing.
    accrue_to(loan, date(2027, 11, 25))
    assert (loan.interest_pending_micro, loan.penalty_pending_micro) == (0, 0)
    ledger_clean()

    # The freeze has not ended on its last day; the day after it has.
    assert (
        risk.freeze_end_run(actor=people["checker"], branch=org.office_a, today=date(2028, 11, 25))
        == 0
    )
    moved = risk.freeze_end_run(
        actor=people["checker"], branch=org.office_a, today=date(2028, 11, 26)
    )
    assert moved == 1
    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM
    assert (loan.principal_in_term, loan.principal_frozen) == (50_000_000, 0)
    assert loan.interest_accrued_from == date(2028, 11, 26)
    assert loan.maturity_extended_on == date(2031, 9, 21)
    version = ScheduleVersion.objects.get(loan=loan, is_current=True)
    assert version.kind == "unfreeze"
    assert sum(version.instalments.values_list("principal", flat=True)) == 50_000_000
    assert ScheduleVersion.objects.filter(loan=loan).count() == 2
    dossier.refresh_from_db()
    assert dossier.freeze_ended_on == date(2028, 11, 26)
    ledger_clean()


def test_write_off_posts_6131_and_the_off_balance_memo(loan, people):
    batch = batch_with(
        loan, people["maker"], cause="death", loss_percent=100, treatment="write_off"
    )
    approve(
        risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY),
        people["checker"],
        TODAY,
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert (
        loan.principal_in_term,
        loan.principal_overdue,
        loan.principal_frozen,
        loan.interest_receivable,
        loan.penalty_receivable,
    ) == (0, 0, 0, 0, 0)
    assert (loan.written_off_principal, loan.written_off_interest) == (50_000_000, 595_833)
    total = 50_595_833
    assert balance("2111.01", loan) == 0
    assert balance("3941", loan) == 0
    assert balance("9711", loan) == total
    assert balance("9719", loan) == -total
    reserve = JournalLine.objects.filter(account__code="6131", office_id=loan.office_id)
    assert sum(reserve.values_list("amount", flat=True)) == total
    ledger_clean()


def test_write_off_for_a_disaster_without_a_freeze_is_refused(loan, people):
    with pytest.raises(DomainError) as refused:
        batch_with(loan, people["maker"], loss_percent=100, treatment="write_off")
    assert refused.value.code == E.TREATMENT_NOT_ALLOWED


def test_risk_extension_makes_a_risk_extension_schedule(loan, people):
    batch = batch_with(
        loan, people["maker"], loss_percent=20, treatment="extension", extension_months=12
    )
    approve(
        risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY),
        people["checker"],
        TODAY,
    )
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.maturity_extended_on == date(2030, 9, 21)
    assert ScheduleVersion.objects.get(loan=loan, is_current=True).kind == "risk_extension"
    ledger_clean()


def test_a_frozen_loan_is_written_off_when_its_freeze_ended_not_before(loan, people):
    batch = batch_with(loan, people["maker"], loss_percent=60, treatment="freeze", freeze_months=12)
    approve(
        risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY),
        people["checker"],
        TODAY,
    )
    ended = date(2027, 11, 26)
    second = risk.risk_batch_create(actor=people["maker"], office=loan.office, name="Đợt 2/2027")
    dossier = {
        "actor": people["maker"],
        "batch": second,
        "loan": loan,
        "cause": "natural_disaster",
        "occurred_on": date(2026, 9, 30),
        "loss_percent": 60,
        "loss_assessment": "Vẫn không có khả năng trả nợ",
        "treatment": "write_off",
    }
    with pytest.raises(DomainError) as refused:
        risk.risk_dossier_add(today=date(2027, 11, 25), **dossier)
    assert refused.value.code == E.TREATMENT_NOT_ALLOWED
    added = risk.risk_dossier_add(today=ended, **dossier)
    risk.risk_evidence_add(
        actor=people["maker"],
        dossier=added,
        file=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
        description="Biên bản",
    )
    approve(
        risk.risk_batch_submit(actor=people["maker"], batch=second, today=ended),
        people["checker"],
        ended,
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert (loan.principal_frozen, loan.written_off_principal) == (0, 50_000_000)
    assert balance("2113.01", loan) == 0
    assert balance("9711", loan) == 50_000_000 + 595_833
    ledger_clean()
