"""The demo's loans on the real database, at a tiny scale: the branch, the Bắc Sơn office and
the registers of one commune (Vũ Lăng, a few hundred households) through the demo's own load.

What the bulk path writes must be what the services would have written: ``verify_ledger``
clean (the loans' kept balances included), schedules equal to the rule, loan transactions that
add up to the kept balances, a second run that adds nothing, and the services working on demo
loans afterwards (the month-end accrual of the current month, a repayment, the overdue run)."""

from datetime import date, timedelta

import pytest
from django.db.models import Count, Sum
from django.test import TestCase

from policylend.core.periods import Month
from policylend.demo.province import HOME_COMMUNE, SCALE_OFFICE, province_plan
from policylend.demo.registers import RegistersPlan, registers_plan
from policylend.demo.services import demo_province_load
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.ledger.verification import verify_ledger
from policylend.loans.models import (
    AccrualRun,
    Instalment,
    Loan,
    LoanStatus,
    LoanStatusChange,
    LoanTransaction,
)
from policylend.loans.schedule import build_schedule
from policylend.loans.services.accrual import interest_accrual_run
from policylend.loans.services.disbursement import schedule_terms_of
from policylend.loans.services.overdue import overdue_run
from policylend.loans.services.repayment import loan_repay
from policylend.organisation.models import OrganisationUnit
from policylend.users.models import User

TODAY = date(2026, 11, 25)
SEED = 1


def one_commune(registers: RegistersPlan, commune_code: str) -> RegistersPlan:
    households = tuple(h for h in registers.households if h.code.startswith(commune_code))
    groups = tuple(g for g in registers.groups if g.village_code.startswith(commune_code))
    return RegistersPlan(
        registers.association_units,
        registers.contracts,
        households,
        groups,
        registers.leader_logins,
    )


def load():
    plan = province_plan(scale=SCALE_OFFICE, seed=SEED)
    commune = next(c for o in plan.offices for c in o.communes if c.name == HOME_COMMUNE)
    registers = one_commune(registers_plan(plan, today=TODAY), commune.code)
    return plan, registers, demo_province_load(plan=plan, today=TODAY, registers=registers)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            yield load()
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture
def demo(loaded, db):
    return loaded


def staff(role: str) -> User:
    return User.objects.filter(role=role, is_superuser=False).order_by("pk").first()


def test_the_commune_borrows_a_mix_of_programmes_with_history_from_2021(demo):
    _plan, _registers, result = demo
    assert result.created and result.counts["loans"] == Loan.objects.count() > 100
    programmes = set(Loan.objects.values_list("programme__code", flat=True))
    assert {"01", "19", "09", "06"} <= programmes
    assert Loan.objects.filter(disbursed_on__year=2021).exists()
    statuses = set(Loan.objects.values_list("status", flat=True))
    assert {LoanStatus.IN_TERM, LoanStatus.SETTLED} <= statuses


def test_the_books_verify_clean_with_the_loans_kept_balances(demo):
    verification = verify_ledger()
    assert verification.ok, verification.problems[:5]
    assert JournalLine.objects.filter(loan_ref__isnull=False).exists()


def test_schedules_are_the_rule(demo):
    instalments = {}
    for row in Instalment.objects.order_by("loan_id", "number").values_list(
        "loan_id", "number", "principal", "due_contract", "due_session"
    ):
        instalments.setdefault(row[0], []).append(row[1:])
    disbursed = Loan.objects.exclude(disbursed_on=None).select_related("terms")
    assert disbursed.exists()
    for loan in disbursed:
        terms = schedule_terms_of(loan, loan.disbursed_on, loan.session_day)
        planned = [
            (p.number, p.principal, p.due_contract, p.due_session) for p in build_schedule(terms)
        ]
        assert instalments[loan.pk] == planned, loan.number


def test_loan_transactions_add_up_to_the_kept_balances(demo):
    sums = {
        row["loan_id"]: row
        for row in LoanTransaction.objects.values("loan_id").annotate(
            in_term=Sum("principal_in_term"),
            overdue=Sum("principal_overdue"),
            disbursements=Count("id", filter=models_q(kind="disbursement")),
        )
    }
    for loan in Loan.objects.exclude(disbursed_on=None):
        assert sums[loan.pk]["in_term"] == loan.principal_in_term
        assert sums[loan.pk]["overdue"] == loan.principal_overdue
        assert sums[loan.pk]["disbursements"] == 1
    paid = Instalment.objects.filter(status="paid").aggregate(n=Count("id"))["n"]
    assert paid > 0
    assert LoanStatusChange.objects.filter(to_status=LoanStatus.APPLIED).count() == (
        Loan.objects.count()
    )


def models_q(**kwargs):
    from django.db.models import Q

    return Q(**kwargs)


def test_a_second_run_adds_nothing(demo):
    plan, registers, _result = demo
    before = (Loan.objects.count(), JournalEntry.objects.count(), LoanTransaction.objects.count())
    again = demo_province_load(plan=plan, today=TODAY, registers=registers)
    assert not again.created
    assert before == (
        Loan.objects.count(),
        JournalEntry.objects.count(),
        LoanTransaction.objects.count(),
    )


def test_the_month_end_accrual_posts_nothing_twice_and_then_the_current_month(demo):
    branch = OrganisationUnit.objects.get(code="740")
    actor = staff("branch_staff")
    october = interest_accrual_run(actor=actor, branch=branch, month=Month(2026, 10), today=TODAY)
    assert october.loans == october.interest == 0
    november = Month(2026, 11)
    run = interest_accrual_run(actor=actor, branch=branch, month=november, today=november.last_day)
    assert run.loans == Loan.objects.filter(status__in=("in_term", "overdue")).count()
    assert run.interest > 0
    assert AccrualRun.objects.filter(month=date(2026, 10, 1), loans__gt=0).count() == 1
    verification = verify_ledger()
    assert verification.ok, verification.problems[:5]


def test_repayment_and_the_overdue_run_work_on_demo_loans(demo):
    teller = staff("teller")
    loan = Loan.objects.filter(status=LoanStatus.IN_TERM, interest_receivable__gt=0).first()
    day = TODAY
    loan_repay(
        actor=teller,
        loan=loan,
        paid_on=day,
        today=day,
        interest=loan.interest_receivable + loan.penalty_receivable,
        principal=min(loan.principal_in_term, 1_000_000),
        idempotency_key="demo-test-repay",
    )
    office = OrganisationUnit.objects.get(pk=loan.office_id)
    session = date(2026, 11, loan.session_day)
    if session + timedelta(days=1) <= TODAY:
        overdue_run(actor=staff("branch_staff"), unit=office, session_date=session, today=TODAY)
    verification = verify_ledger()
    assert verification.ok, verification.problems[:5]


def test_a_demo_repayment_in_a_shared_entry_can_be_reversed(demo):
    from policylend.loans.services.reversal import loan_transaction_reverse

    # given: the latest repayment of a loan in term, in a session entry shared with others
    record = (
        LoanTransaction.objects.filter(kind="repayment", loan__status=LoanStatus.IN_TERM)
        .order_by("-value_date", "-id")
        .first()
    )
    assert (
        JournalLine.objects.filter(entry_id=record.entry_id)
        .exclude(loan_ref=record.loan_id)
        .exists()
    )
    # when
    loan_transaction_reverse(
        record=record,
        reason="Recorded on the wrong loan",
        maker=staff("teller"),
        checker=staff("controller"),
        today=TODAY,
    )
    # then
    verification = verify_ledger()
    assert verification.ok, verification.problems[:5]
