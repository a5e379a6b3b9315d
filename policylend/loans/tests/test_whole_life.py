"""One loan of each of the 19 programmes through its whole life on the real database: application
→ group review meeting → association review → commune certification → decision proposed and
approved by another user → disbursement at the session → month-end accruals → repayments of
interest and principal → overdue run for a missed instalment → repayment back in term →
settlement. After every step the ledger verifies clean and the loan's kept balances equal a
model kept beside it by hand (the pure rules of loans.interest, nothing of the services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest

from policylend.core.periods import Month, add_months
from policylend.loans.interest import Balances, accrue, micro_to_dong
from policylend.loans.models import InstalmentStatus, Loan, LoanStatus

from .conftest import LOAN_DAYS

POOR = Decimal("0.066")


@dataclass(frozen=True)
class Case:
    kinds: tuple[str, ...]
    amount: int
    term_months: int
    rate: Decimal
    fields: dict = field(default_factory=dict)
    workers: int = 0
    funding_source: str = "central"


STUDY = {"school": "Đại học Nông Lâm Thái Nguyên", "course": "Chăn nuôi thú y"}
CASES = {
    "01": Case(("poor",), 30_000_000, 36, POOR),
    "19": Case(("near_poor",), 30_000_000, 36, Decimal("0.0792")),
    "09": Case(("escaped_poverty",), 30_000_000, 36, Decimal("0.0825")),
    "03": Case((), 60_000_000, 36, POOR, {"workers": 2}, workers=2),
    "04": Case(
        (),
        100_000_000,
        24,
        POOR,
        {
            "workers": 1,
            "contract_number": "HĐ 15/2019/XKLĐ",
            "employer": "Công ty Sakura",
            "country": "Nhật Bản",
            "contract_value": 120_000_000,
        },
        workers=1,
    ),
    "02": Case(
        ("student",), 24_000_000, 36, POOR, {**STUDY, "course_end": "2020-06-30", "study_months": 6}
    ),
    "02S": Case(
        (),
        30_000_000,
        36,
        Decimal("0.048"),
        {**STUDY, "course_end": "2020-06-30", "study_months": 6},
    ),
    "06": Case((), 25_000_000, 24, Decimal("0.09"), {"facilities": 1}),
    "12": Case((), 80_000_000, 60, POOR, {"contract_value": 100_000_000}),
    "10": Case(("disadvantaged_area",), 30_000_000, 36, Decimal("0.09")),
    "15": Case((), 30_000_000, 36, Decimal("0.09")),
    "26": Case(("ex_prisoner",), 30_000_000, 36, POOR),
    "25": Case(("ethnic_minority",), 40_000_000, 72, Decimal("0.03")),
    "25L": Case(("ethnic_minority",), 50_000_000, 72, Decimal("0.03")),
    "07": Case(("poor",), 25_000_000, 72, Decimal("0.03")),
    "17": Case(("ethnic_minority", "poor"), 5_000_000, 36, Decimal("0")),
    "21": Case(("ethnic_minority",), 30_000_000, 36, Decimal("0")),
    "31": Case((), 10_000_000, 24, Decimal("0.012")),
    "99": Case((), 30_000_000, 36, POOR, funding_source="local"),
}


@dataclass
class Model:
    """The loan's balances as a credit officer would keep them by hand."""

    rate: Decimal
    overdue_rate: Decimal
    in_term: int = 0
    overdue: int = 0
    interest: int = 0  # interest receivable (arrears + current)
    penalty: int = 0  # overdue interest receivable
    accrued_from: date | None = None
    pending_i: int = 0
    pending_p: int = 0

    def accrue_to(self, day: date) -> None:
        if self.accrued_from is None or day <= self.accrued_from:
            return
        got = accrue(
            Balances(self.in_term, self.overdue),
            self.rate,
            self.overdue_rate,
            self.accrued_from,
            day,
        )
        self.pending_i += got.interest_micro
        self.pending_p += got.penalty_micro
        self.accrued_from = day

    def post(self, day: date) -> None:
        self.accrue_to(day)
        self.interest += micro_to_dong(self.pending_i)
        self.penalty += micro_to_dong(self.pending_p)
        self.pending_i = self.pending_p = 0

    def pay(self, day: date, interest: int, principal: int) -> None:
        if principal:
            self.accrue_to(day)
        take = min(interest, self.penalty)
        self.penalty -= take
        self.interest -= interest - take
        take = min(principal, self.overdue)
        self.overdue -= take
        self.in_term -= principal - take

    def to_date(self, day: date) -> int:
        got = accrue(
            Balances(self.in_term, self.overdue),
            self.rate,
            self.overdue_rate,
            self.accrued_from,
            day,
        )
        return micro_to_dong(self.pending_i + got.interest_micro) + micro_to_dong(
            self.pending_p + got.penalty_micro
        )


class Life:
    def __init__(self, world, code: str):
        self.world = world
        self.users = world.users
        self.code = code
        self.loan: Loan | None = None
        self.model: Model | None = None
        self.keys = 0

    def key(self, what: str) -> str:
        self.keys += 1
        return f"life:{self.code}:{what}:{self.keys}"

    def check(self, status: str | None = None) -> Loan:
        from policylend.ledger.verification import verify_ledger

        result = verify_ledger()
        assert result.problems == [], result.problems
        loan = Loan.objects.get(pk=self.loan.pk)
        self.loan = loan
        if status:
            assert loan.status == status
        if self.model is not None:
            m = self.model
            assert (
                loan.principal_in_term,
                loan.principal_overdue,
                loan.principal_frozen,
                loan.interest_receivable,
                loan.penalty_receivable,
            ) == (m.in_term, m.overdue, 0, m.interest, m.penalty)
        return loan

    def accrue_months(self, through: Month) -> None:
        from policylend.loans.services.accrual import interest_accrual_run

        month = Month.of(self.model.accrued_from - timedelta(days=1))
        if self.model.accrued_from.day == 1:
            month = Month.of(self.model.accrued_from)
        while month <= through:
            interest_accrual_run(
                actor=self.users.staff,
                branch=self.world.org.branch,
                month=month,
                today=month.last_day,
            )
            self.model.post(month.last_day + timedelta(days=1))
            month = Month.of(month.last_day + timedelta(days=1))
        self.check()

    def repay(self, day: date, *, interest: int = 0, principal: int = 0):
        from policylend.loans.services.repayment import loan_repay

        transaction = loan_repay(
            actor=self.users.teller,
            loan=self.loan,
            paid_on=day,
            today=day,
            interest=interest,
            principal=principal,
            idempotency_key=self.key("repay"),
            at_point=self.world.point,
        )
        self.model.pay(day, interest, principal)
        return transaction


def month_before(day: date) -> Month:
    return Month.of(day.replace(day=1) - timedelta(days=1))


@pytest.mark.parametrize("code", list(CASES))
def test_a_loan_of_each_programme_lives_from_application_to_settlement(code, loan_world, certify):
    from policylend.approvals.services import approval_request_approve
    from policylend.groups.services import meeting_record
    from policylend.loans.services.application import loan_apply
    from policylend.loans.services.decision import loan_decision_propose
    from policylend.loans.services.disbursement import loan_disburse
    from policylend.loans.services.overdue import overdue_run
    from policylend.loans.services.review import loan_review_record
    from policylend.programmes.models import Programme

    case = CASES[code]
    life = Life(loan_world, code)
    users = life.users
    household = certify(loan_world.borrower, *case.kinds) if case.kinds else loan_world.borrower

    # 1. application through the group
    life.loan = loan_apply(
        actor=users.officer,
        household=household,
        programme=Programme.objects.get(code=code),
        amount=case.amount,
        term_months=case.term_months,
        purpose="Phát triển sản xuất",
        plan="Kế hoạch sử dụng vốn",
        programme_fields=dict(case.fields),
        workers=case.workers,
        funding_source=case.funding_source,
        applied_on=LOAN_DAYS.applied,
    )
    life.check(LoanStatus.APPLIED)

    # 2. group review meeting with the applicant present, association review, commune
    meeting = meeting_record(
        actor=users.officer,
        group=loan_world.group,
        held_on=date(2020, 1, 8),
        kind="loan_review",
        attendee_ids=[household.head_id],
        guests="Hội Nông dân xã",
        today=date(2020, 1, 8),
    )
    loan_review_record(
        actor=users.officer,
        loan=life.loan,
        stage="group",
        decision="agreed",
        decided_on=date(2020, 1, 8),
        meeting=meeting,
    )
    loan_review_record(
        actor=users.association_officer,
        loan=life.loan,
        stage="association",
        decision="agreed",
        decided_on=date(2020, 1, 10),
        decided_by_name="Hoàng Thị Mai",
    )
    life.check(LoanStatus.REVIEWED)
    loan_review_record(
        actor=users.officer,
        loan=life.loan,
        stage="commune",
        decision="agreed",
        decided_on=date(2020, 1, 13),
        decided_by_name="Chủ tịch UBND xã Vũ Lăng",
        decision_number="5/XN-UBND",
    )
    life.check(LoanStatus.CERTIFIED)

    # 3. decision: proposed by the officer, approved by the controller
    request = loan_decision_propose(
        actor=users.officer, loan=life.loan, approve=True, today=date(2020, 1, 15)
    )
    life.check(LoanStatus.CERTIFIED)
    approval_request_approve(
        request_id=request.pk, checker=users.controller, today=date(2020, 1, 16)
    )
    loan = life.check(LoanStatus.APPROVED)
    assert (loan.amount_approved, loan.approved_on) == (case.amount, date(2020, 1, 16))

    # 4. disbursement at the commune session of 21/01/2020
    disbursed_on = date(2020, 1, 21)
    loan_disburse(
        actor=users.teller,
        loan=life.loan,
        disbursed_on=disbursed_on,
        today=disbursed_on,
        idempotency_key=life.key("disburse"),
        at_point=loan_world.point,
    )
    life.model = Model(
        rate=case.rate,
        overdue_rate=case.rate * Decimal("1.3"),
        in_term=case.amount,
        accrued_from=disbursed_on,
    )
    loan = life.check(LoanStatus.IN_TERM)
    assert (loan.annual_rate, loan.overdue_rate) == (life.model.rate, life.model.overdue_rate)
    assert loan.maturity_on == add_months(disbursed_on, case.term_months)
    instalments = list(loan.instalments.order_by("number"))
    assert sum(i.principal for i in instalments) == case.amount
    assert all(i.due_session.day == loan_world.session_day for i in instalments)
    first = instalments[0]

    # 5. month-end accruals, then interest and early principal at the next session
    life.accrue_months(Month(2020, 1))
    session = date(2020, 2, 21)
    early = 1_000_000
    life.repay(session, interest=life.model.interest, principal=early)
    life.check(LoanStatus.IN_TERM)

    # 6. accruals to the first instalment; its session pays the interest but not the principal
    life.accrue_months(month_before(first.due_session))
    if life.model.interest:
        life.repay(first.due_session, interest=life.model.interest)
    life.check(LoanStatus.IN_TERM)
    missed = first.principal - early
    moved = overdue_run(
        actor=users.officer,
        today=first.due_session + timedelta(days=1),
        unit=loan_world.org.office_a,
        session_date=first.due_session,
    )
    assert moved == 1
    life.model.accrue_to(first.due_session + timedelta(days=1))
    life.model.in_term -= missed
    life.model.overdue += missed
    loan = life.check(LoanStatus.OVERDUE)
    first.refresh_from_db()
    assert (first.status, first.overdue_from) == (
        InstalmentStatus.OVERDUE,
        first.due_session + timedelta(days=1),
    )

    # 7. overdue interest accrues; the next session pays all it owes and the loan is back in term
    back = add_months(first.due_session, 1)
    life.accrue_months(month_before(back))
    if case.rate:
        assert life.model.penalty > 0
    life.repay(back, interest=life.model.interest + life.model.penalty, principal=missed)
    life.check(LoanStatus.IN_TERM)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID

    # 8. settlement: every dong of principal and of interest to the day
    settle = add_months(back, 1)
    life.accrue_months(month_before(settle))
    principal = life.model.in_term + life.model.overdue
    interest = life.model.interest + life.model.penalty + life.model.to_date(settle)
    life.model.post(settle)
    life.repay(settle, interest=interest, principal=principal)
    loan = life.check(LoanStatus.SETTLED)
    assert loan.settled_on == settle
    assert loan.interest_receivable == loan.penalty_receivable == 0
