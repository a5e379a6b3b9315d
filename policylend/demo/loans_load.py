"""Write the demo's loans (policylend.demo.loans_plan) in bulk, inside the demo's one database
transaction: what the loan services would have written, without an ORM round trip per loan per
step.

The plan lives each loan through the services' rules; this module only writes the result:
the certified lists the applications needed, the loans with their kept balances and accrual
state, reviews, status history, schedule version 1 and its instalments, rates, risk batches and
dossiers, and the journal. Loans of one place and day share a journal entry (one per commune
session and kind, one per office for the overdue run, one per branch-month for the month-end
accrual — in slices, as the services slice theirs), each with a line per loan carrying the
loan's references, and every step but the month-end accrual records its ``LoanTransaction``.
In an entry with loan transactions every loan's share balances on its own (its cash, income or
reserve line carries its references too), so a reversal of one of them can mirror that loan's
lines alone, as it does for the overdue run's shared entries.
Entries go through ``bulk_create``; lines and loan transactions through ``executemany``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.periods import Month
from policylend.groups.models import GroupMembership
from policylend.households.models import Classification, Household
from policylend.ledger.models import Account, JournalEntry
from policylend.ledger.rules import LineSpec, Side, content_hash
from policylend.loans.models import (
    AccrualRun,
    Instalment,
    Loan,
    LoanRate,
    LoanReview,
    LoanStatusChange,
    RiskBatch,
    RiskBatchStatus,
    RiskDossier,
    ScheduleKind,
    ScheduleVersion,
)
from policylend.organisation.models import OrganisationUnit, TransactionPoint
from policylend.programmes.models import Programme, ProgrammeTerms

from .loans_plan import (
    DISBURSEMENT,
    FREEZE,
    INTEREST_ACCRUAL,
    INTEREST_COLLECTION,
    OVERDUE_TRANSFER,
    PRINCIPAL_REPAYMENT,
    WRITE_OFF,
    HouseholdFacts,
    LoanHistory,
    loan_history,
    loans_plan,
)

# Loans per journal entry (the services slice theirs too: accrual.LOANS_PER_ENTRY,
# overdue.LOANS_PER_ENTRY). PostgreSQL checks each entry's balance at commit by summing its
# lines once per line, so the cost grows with the square of an entry's size: the demo's
# 350,000 lines go in smaller entries than one month's run.
LOANS_PER_ENTRY = 60
LOANS_PER_OVERDUE_ENTRY = 100
ROWS_PER_BATCH = 2_000
LINE_COLUMNS = (
    "entry_id",
    "branch_id",
    "value_date",
    "account_id",
    "amount",
    "office_id",
    "association_id",
    "group_ref",
    "loan_ref",
    "savings_account_ref",
    "campaign_ref",
)
TRANSACTION_COLUMNS = (
    "loan_id",
    "kind",
    "value_date",
    "entry_id",
    "principal_in_term",
    "principal_overdue",
    "principal_frozen",
    "interest",
    "penalty",
    "cash",
    "instalments",
    "status_before",
    "reverses_id",
    "recorded_by_id",
    "recorded_at",
)
REVIEW_NAMES = {"group": "Tổ TK&VV", "association": "Hội đoàn thể xã", "commune": "UBND xã"}


def demo_loans_load(*, branch: OrganisationUnit, maker, seed: int, today: date) -> dict[str, int]:
    """Plan and write the loans of every household of ``branch``; returns what was written."""
    units = {unit.pk: unit for unit in OrganisationUnit.objects.filter(branch_id=branch.pk)}
    units[branch.pk] = branch
    facts, rows = _households(branch, units)
    writer = _Writer(branch, units, rows, maker, today)
    counts = dict.fromkeys(
        ("loans", "loan_classifications", "loan_entries", "loan_lines", "loan_transactions"), 0
    )
    # One office at a time, so memory holds one office's histories (the province has ten).
    by_office: dict[str, list[HouseholdFacts]] = defaultdict(list)
    for household in facts.values():
        by_office[household.office_code].append(household)
    for office_code in sorted(by_office):
        plan = loans_plan(by_office[office_code], seed=seed, today=today)
        counts["loan_classifications"] += _classifications_create(
            plan.classifications, rows, units, maker
        )
        histories = [loan_history(loan, today=today) for loan in plan.loans]
        loans = writer.loans(histories)
        writer.applications(histories, loans)
        instalment_ids = writer.schedules(histories, loans)
        entries, lines, transactions = writer.journal(histories, loans, instalment_ids)
        writer.risk(histories, loans)
        counts["loans"] += len(loans)
        counts["loan_entries"] += entries
        counts["loan_lines"] += lines
        counts["loan_transactions"] += transactions
    writer.accrual_runs_create()
    return counts


# --- what the plan needs of the registers -------------------------------------------------------------


def _households(branch, units) -> tuple[dict[str, HouseholdFacts], dict[str, dict]]:
    session_days = dict(
        TransactionPoint.objects.filter(branch=branch, is_active=True).values_list(
            "commune_id", "session_day"
        )
    )
    memberships = {
        household_id: (group_id, joined_on, association_unit_id, association_id)
        for household_id, group_id, joined_on, association_unit_id, association_id in (
            GroupMembership.objects.filter(group__branch=branch, left_on__isnull=True).values_list(
                "household_id",
                "group_id",
                "joined_on",
                "group__association_unit_id",
                "group__association_unit__association_id",
            )
        )
    }
    kinds: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    exit_years: dict[int, int] = {}
    for household_id, year, kind, exit_year in Classification.objects.filter(
        household__branch=branch
    ).values_list("household_id", "year", "kind", "exit_year"):
        kinds[household_id][year].add(kind)
        if exit_year:
            exit_years[household_id] = exit_year
    facts, rows = {}, {}
    for pk, code, office_id, commune_id, village_id, head_id in (
        Household.objects.filter(branch=branch, head__isnull=False)
        .order_by("code")
        .values_list("id", "code", "office_id", "commune_id", "village_id", "head_id")
    ):
        if commune_id not in session_days:
            continue
        membership = memberships.get(pk)
        by_year = kinds.get(pk, {})
        list_year = max(by_year) if by_year else 0
        facts[code] = HouseholdFacts(
            code=code,
            office_code=units[office_id].code,
            commune_code=units[commune_id].code,
            session_day=session_days[commune_id],
            member_since=membership[1] if membership else None,
            kinds=frozenset(by_year.get(list_year, ())),
            list_year=list_year,
            exit_year=exit_years.get(pk),
        )
        rows[code] = {
            "id": pk,
            "office_id": office_id,
            "commune_id": commune_id,
            "village_id": village_id,
            "head_id": head_id,
            "group_id": membership[0] if membership else None,
            "association_unit_id": membership[2] if membership else None,
            "association_id": membership[3] if membership else None,
            "existing": {(year, kind) for year, found in by_year.items() for kind in found},
        }
    return facts, rows


def _classifications_create(needs, rows, units, maker) -> int:
    objects = []
    for need in needs:
        row = rows[need.household_code]
        if (need.year, need.kind) in row["existing"]:
            continue
        row["existing"].add((need.year, need.kind))
        commune = units[row["commune_id"]]
        objects.append(
            Classification(
                household_id=row["id"],
                year=need.year,
                kind=need.kind,
                exit_year=need.exit_year,
                certified_by=f"Danh sách năm {need.year} của UBND {commune.name}",
                certified_on=date(need.year, 12, 20),
                recorded_by=maker,
            )
        )
    Classification.objects.bulk_create(objects, batch_size=ROWS_PER_BATCH)
    return len(objects)


# --- the writer -----------------------------------------------------------------------------------------


def _batch_name(day: date) -> str:
    """Risk-handling batches are decided twice a year (domain.md §6.10)."""
    return _("Risk handling %(half)d/%(year)d") % {
        "half": 1 if day.month <= 6 else 2,
        "year": day.year,
    }


def _adapt_date(value):
    return connection.ops.adapt_datefield_value(value)


class _Writer:
    def __init__(self, branch, units, rows, maker, today):
        self.branch, self.units, self.rows, self.maker, self.today = (
            branch,
            units,
            rows,
            maker,
            today,
        )
        self.code_to_unit = {unit.code: unit for unit in units.values()}
        self.programmes = dict(Programme.objects.values_list("code", "id"))
        self.terms = {
            (code, effective_from): pk
            for pk, code, effective_from in ProgrammeTerms.objects.values_list(
                "id", "programme__code", "effective_from"
            )
        }
        self.accounts = dict(Account.objects.values_list("code", "id"))
        self.points = dict(
            TransactionPoint.objects.filter(branch=branch, is_active=True).values_list(
                "commune_id", "id"
            )
        )
        self.now = timezone.now()
        self.sequences: dict[str, int] = defaultdict(int)
        # Month-end accruals are one run per branch-month over every office.
        self.accrual_numbers: dict[date, int] = defaultdict(int)
        self.runs: dict[date, dict] = {}

    # --- loans

    def loans(self, histories: list[LoanHistory]) -> list[Loan]:
        sequences = self.sequences
        objects = []
        for history in histories:
            plan = history.plan
            row = self.rows[plan.household_code]
            office = self.units[row["office_id"]]
            prefix = f"{office.code}-{plan.applied_on:%y}-"
            sequences[prefix] += 1
            disbursed = plan.disbursed_on is not None
            objects.append(
                Loan(
                    number=f"{prefix}{sequences[prefix]:06d}",
                    household_id=row["id"],
                    borrower_id=row["head_id"],
                    group_id=row["group_id"],
                    association_unit_id=row["association_unit_id"],
                    programme_id=self.programmes[plan.programme_code],
                    terms_id=self.terms[plan.programme_code, plan.terms_from],
                    funding_source="central",
                    branch_id=self.branch.pk,
                    office_id=row["office_id"],
                    commune_id=row["commune_id"],
                    village_id=row["village_id"],
                    amount_requested=plan.amount,
                    term_months=plan.term_months,
                    repayment_interval_months=plan.interval_months,
                    purpose=plan.purpose,
                    programme_fields=dict(plan.programme_fields),
                    workers=plan.workers,
                    applied_on=plan.applied_on,
                    amount_approved=plan.amount,
                    approved_on=plan.approved_on,
                    disbursed_on=plan.disbursed_on,
                    disbursed_at_point_id=self.points[row["commune_id"]] if disbursed else None,
                    session_day=plan.session_day if disbursed else None,
                    maturity_on=history.maturity_on,
                    annual_rate=history.annual_rate,
                    overdue_rate=history.overdue_rate,
                    settled_on=history.settled_on,
                    status=history.status,
                    status_changed_on=history.status_changed_on,
                    principal_in_term=history.principal_in_term,
                    principal_overdue=history.principal_overdue,
                    principal_frozen=history.principal_frozen,
                    interest_receivable=history.interest_receivable,
                    penalty_receivable=history.penalty_receivable,
                    interest_current=history.interest_current,
                    written_off_principal=history.written_off_principal,
                    written_off_interest=history.written_off_interest,
                    interest_accrued_from=history.interest_accrued_from,
                    interest_pending_micro=history.interest_pending_micro,
                    penalty_pending_micro=history.penalty_pending_micro,
                    interest_posted_through=history.interest_posted_through,
                    last_transaction_on=history.last_transaction_on,
                    created_by=self.maker,
                )
            )
        return Loan.objects.bulk_create(objects, batch_size=ROWS_PER_BATCH)

    def applications(self, histories, loans) -> None:
        reviews, changes = [], []
        for history, loan in zip(histories, loans, strict=True):
            plan = history.plan
            for stage, day in (
                ("group", plan.group_review_on),
                ("association", plan.association_review_on),
                ("commune", plan.certified_on),
            ):
                reviews.append(
                    LoanReview(
                        loan_id=loan.pk,
                        stage=stage,
                        decision="agreed",
                        decided_on=day,
                        decided_by_name=REVIEW_NAMES[stage],
                        recorded_by=self.maker,
                    )
                )
            for from_status, to_status, day, reason in history.status_changes:
                changes.append(
                    LoanStatusChange(
                        loan_id=loan.pk,
                        from_status=from_status,
                        to_status=to_status,
                        changed_on=day,
                        reason=_batch_name(day)
                        if reason == "risk"
                        else _(reason)
                        if reason
                        else "",
                        changed_by=self.maker,
                    )
                )
        LoanReview.objects.bulk_create(reviews, batch_size=ROWS_PER_BATCH)
        LoanStatusChange.objects.bulk_create(changes, batch_size=ROWS_PER_BATCH)

    def schedules(self, histories, loans) -> dict[tuple[int, int], int]:
        disbursed = [
            (history, loan)
            for history, loan in zip(histories, loans, strict=True)
            if history.plan.disbursed_on is not None
        ]
        versions = ScheduleVersion.objects.bulk_create(
            [
                ScheduleVersion(
                    loan_id=loan.pk,
                    number=1,
                    kind=ScheduleKind.INITIAL,
                    effective_on=history.plan.disbursed_on,
                )
                for history, loan in disbursed
            ],
            batch_size=ROWS_PER_BATCH,
        )
        instalments, rates = [], []
        for (history, loan), version in zip(disbursed, versions, strict=True):
            for state in history.instalments:
                instalments.append(
                    Instalment(
                        loan_id=loan.pk,
                        schedule_id=version.pk,
                        number=state.number,
                        principal=state.principal,
                        due_contract=state.due_contract,
                        due_session=state.due_session,
                        principal_paid=state.principal_paid,
                        status=state.status,
                        overdue_from=state.overdue_from,
                    )
                )
            for period in history.rates:
                rates.append(
                    LoanRate(
                        loan_id=loan.pk,
                        effective_from=period.effective_from,
                        annual_rate=period.annual_rate,
                        overdue_rate=period.overdue_rate,
                        terms_id=self.terms[history.plan.programme_code, period.terms_from],
                    )
                )
        created = Instalment.objects.bulk_create(instalments, batch_size=ROWS_PER_BATCH)
        LoanRate.objects.bulk_create(rates, batch_size=ROWS_PER_BATCH)
        return {(i.loan_id, i.number): i.pk for i in created}

    # --- the journal

    def journal(self, histories, loans, instalment_ids) -> tuple[int, int, int]:
        groups: dict[tuple, list] = defaultdict(list)
        for history, loan in zip(histories, loans, strict=True):
            for step in history.steps:
                groups[step.entry].append((loan, step))
        specs = []
        for key in sorted(groups, key=lambda k: (k[1], k[0], k[2])):
            specs += self._entries_of(key, groups[key])
        specs = self._funding(specs)
        entry_ids = self._entries_create(specs)
        line_rows, transaction_rows = [], []
        runs = self.runs
        for spec, entry_id in zip(specs, entry_ids, strict=True):
            value_date = _adapt_date(spec["value_date"])
            for line in spec["lines"]:
                line_rows.append(
                    (
                        entry_id,
                        self.branch.pk,
                        value_date,
                        self.accounts[line.account],
                        line.signed_amount,
                        line.office_id,
                        line.association_id,
                        line.group_ref,
                        line.loan_ref,
                        None,
                        None,
                    )
                )
            for loan, step in spec["members"]:
                if step.transaction is None:
                    continue
                transaction_rows.append(self._transaction_row(loan, step, entry_id, instalment_ids))
            if spec["kind"] == INTEREST_ACCRUAL and spec["place"] == "month":
                run = runs.setdefault(
                    spec["value_date"],
                    {"entry_id": entry_id, "loans": 0, "interest": 0, "penalty": 0},
                )
                run["loans"] += len(spec["members"])
                for _loan, step in spec["members"]:
                    for account, amount in step.counter:
                        run["interest" if account == "7021" else "penalty"] -= amount
        self._insert("ledger_journalline", LINE_COLUMNS, line_rows)
        transaction_rows.sort(key=lambda row: (row[2], row[0], row[-1]))
        self._insert(
            "loans_loantransaction",
            TRANSACTION_COLUMNS,
            [(*row[:-1],) for row in transaction_rows],
        )
        return len(specs), len(line_rows), len(transaction_rows)

    def accrual_runs_create(self) -> None:
        AccrualRun.objects.bulk_create(
            [
                AccrualRun(
                    branch=self.branch,
                    month=last.replace(day=1),
                    entry_id=run["entry_id"],
                    loans=run["loans"],
                    interest=run["interest"],
                    penalty=run["penalty"],
                    run_by=self.maker,
                )
                for last, run in sorted(self.runs.items())
            ]
        )

    def _funding(self, specs: list[dict]) -> list[dict]:
        """The cash the points pay out and take in comes from and goes back to the central
        budget's funds: one entry per office and month, on its first day, for the month's net
        (Dr 1011 / Cr 4511 when the point pays out more than it takes in, the reverse
        otherwise), so cash at the points stays near its opening balance."""
        net: dict[tuple[date, int], int] = defaultdict(int)
        for spec in specs:
            for line in spec["lines"]:
                if line.account == "1011":
                    net[spec["value_date"].replace(day=1), line.office_id] += line.signed_amount
        funding = []
        for (month, office_id), amount in sorted(net.items()):
            if not amount:
                continue
            office = self.units[office_id]
            lines = [
                LineSpec(
                    "1011",
                    Side.CREDIT if amount > 0 else Side.DEBIT,
                    abs(amount),
                    office_id=office_id,
                ),
                LineSpec(
                    "4511",
                    Side.DEBIT if amount > 0 else Side.CREDIT,
                    abs(amount),
                    office_id=office_id,
                ),
            ]
            funding.append(
                {
                    "kind": "cash_transfer",
                    "value_date": month,
                    "place": office.code,
                    "memo": _("Central budget funds for the loans of %(month)s, %(office)s")
                    % {"month": Month.of(month), "office": office.name},
                    "key": f"demo.loans:funding:{office.code}:{month:%Y-%m}",
                    "lines": lines,
                    "members": [],
                }
            )
        return sorted(specs + funding, key=lambda spec: spec["value_date"])

    def _entries_of(self, key, members) -> list[dict]:
        kind, day, place = key
        members.sort(key=lambda m: (m[0].office_id, m[0].pk) if place == "month" else m[0].pk)
        size = LOANS_PER_OVERDUE_ENTRY if kind == OVERDUE_TRANSFER else LOANS_PER_ENTRY
        chunks: list[list] = []
        for loan, step in members:
            if chunks and (
                len(chunks[-1]) >= size
                or (place == "month" and chunks[-1][-1][0].office_id != loan.office_id)
            ):
                chunks.append([])
            if not chunks:
                chunks.append([])
            chunks[-1].append((loan, step))
        specs = []
        for number, chunk in enumerate(chunks, start=1):
            lines = []
            counter: dict[tuple[str, int], int] = defaultdict(int)
            for loan, step in chunk:
                refs = self._refs(loan)
                for account, amount in step.lines:
                    side = Side.DEBIT if amount > 0 else Side.CREDIT
                    lines.append(LineSpec(account, side, abs(amount), **refs))
                for account, amount in step.counter:
                    if place == "month":
                        counter[account, loan.office_id] += amount
                    elif amount:
                        # Each loan's share of a shared entry balances on its own, with its
                        # references on the cash (income, reserve) line too: reversing one
                        # loan's transaction mirrors that loan's lines (loans.services.reversal).
                        side = Side.DEBIT if amount > 0 else Side.CREDIT
                        lines.append(LineSpec(account, side, abs(amount), **refs))
            for (account, office_id), amount in sorted(counter.items()):
                if amount:
                    side = Side.DEBIT if amount > 0 else Side.CREDIT
                    lines.append(LineSpec(account, side, abs(amount), office_id=office_id))
            specs.append(
                {
                    "kind": kind,
                    "value_date": day,
                    "place": place,
                    "memo": self._memo(kind, day, place),
                    "key": self._key(kind, day, place, number, chunk),
                    "lines": lines,
                    "members": chunk,
                }
            )
        return specs

    def _refs(self, loan) -> dict:
        row_association = self.rows_by_loan_association(loan)
        return {
            "office_id": loan.office_id,
            "association_id": row_association,
            "group_ref": loan.group_id,
            "loan_ref": loan.pk,
        }

    def rows_by_loan_association(self, loan) -> int | None:
        cache = self.__dict__.setdefault("_association_of_unit", {})
        unit_id = loan.association_unit_id
        if unit_id is None:
            return None
        if not cache:
            from policylend.associations.models import AssociationUnit

            cache.update(AssociationUnit.objects.values_list("id", "association_id"))
        return cache[unit_id]

    def _key(self, kind, day, place, number, chunk) -> str:
        if kind == INTEREST_ACCRUAL and place == "month":
            self.accrual_numbers[day] += 1
            number = self.accrual_numbers[day]
            return f"accrual:{self.branch.code}:{day.year:04d}-{day.month:02d}:1:{number}"
        if kind == OVERDUE_TRANSFER:
            office_id = self.code_to_unit[place].pk
            return f"overdue:{office_id}:{day.isoformat()}:{chunk[0][0].pk}-{chunk[-1][0].pk}"
        return f"demo.loans:{kind}:{place}:{day.isoformat()}:{number}"

    def _memo(self, kind, day, place) -> str:
        shown = day.strftime("%d/%m/%Y")
        if kind == INTEREST_ACCRUAL and place == "month":
            return _("Interest for %(month)s") % {"month": Month.of(day)}
        if kind == OVERDUE_TRANSFER:
            session = (day - timedelta(days=1)).strftime("%d/%m/%Y")
            return _("Instalments of the session of %(day)s not paid: to overdue") % {
                "day": session
            }
        where = self.code_to_unit[place].name if place in self.code_to_unit else ""
        memos = {
            DISBURSEMENT: _("Loans disbursed at the session of %(day)s, %(place)s"),
            INTEREST_COLLECTION: _("Interest collected at the session of %(day)s, %(place)s"),
            PRINCIPAL_REPAYMENT: _("Repayments at the session of %(day)s, %(place)s"),
            INTEREST_ACCRUAL: _("Interest of settled loans to %(day)s, %(place)s"),
            FREEZE: _("Loans frozen by the risk-handling batch of %(day)s"),
            WRITE_OFF: _("Loans written off by the risk-handling batch of %(day)s"),
        }
        if place.startswith("risk:"):
            where = self.code_to_unit[place[5:]].name
            if kind == INTEREST_ACCRUAL:
                return _("Interest to %(day)s of loans in the risk-handling batch, %(place)s") % {
                    "day": shown,
                    "place": where,
                }
        return memos[kind] % {"day": shown, "place": where}

    def _entries_create(self, specs) -> list[int]:
        entries = []
        for spec in specs:
            entries.append(
                JournalEntry(
                    branch_id=self.branch.pk,
                    value_date=spec["value_date"],
                    kind=spec["kind"],
                    memo=spec["memo"],
                    idempotency_key=spec["key"],
                    content_hash=content_hash(
                        branch_id=self.branch.pk,
                        value_date=spec["value_date"],
                        kind=spec["kind"],
                        memo=spec["memo"],
                        lines=spec["lines"],
                        reverses_id=None,
                    ),
                    maker_id=self.maker.pk,
                    recorded_at=self.now,
                )
            )
        created = JournalEntry.objects.bulk_create(entries, batch_size=ROWS_PER_BATCH)
        return [entry.pk for entry in created]

    def _transaction_row(self, loan, step, entry_id, instalment_ids) -> tuple:
        t = step.transaction
        instalments = [
            {
                "instalment": instalment_ids[loan.pk, share["instalment"]],
                "principal": share["principal"],
                "status_before": share["status_before"],
            }
            for share in t["instalments"]
        ]
        return (
            loan.pk,
            t["kind"],
            _adapt_date(t["value_date"]),
            entry_id,
            t["principal_in_term"],
            t["principal_overdue"],
            t["principal_frozen"],
            t["interest"],
            t["penalty"],
            t["cash"],
            json.dumps(instalments),
            t["status_before"],
            None,
            self.maker.pk,
            connection.ops.adapt_datetimefield_value(self.now),
            step.order,
        )

    def _insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if connection.vendor == "postgresql":
            # COPY: the driver's executemany still sends a statement per row.
            with connection.cursor() as cursor:
                statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        # Constant table and column names; every value is a parameter.
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 20_000):
                cursor.executemany(sql, rows[start : start + 20_000])

    # --- risk handling

    def risk(self, histories, loans) -> None:
        cases = [
            (history, loan)
            for history, loan in zip(histories, loans, strict=True)
            if history.plan.risk
            and history.plan.risk_on
            and history.status in ("frozen", "written_off")
        ]
        batches: dict[tuple[int, date], RiskBatch] = {}
        for history, loan in cases:
            key = (loan.office_id, history.plan.risk_on)
            if key not in batches:
                day = history.plan.risk_on
                batches[key] = RiskBatch.objects.create(
                    name=_batch_name(day),
                    office_id=loan.office_id,
                    branch=self.branch,
                    status=RiskBatchStatus.APPROVED,
                    decided_on=day,
                    created_by=self.maker,
                )
        RiskDossier.objects.bulk_create(
            [
                RiskDossier(
                    batch=batches[loan.office_id, history.plan.risk_on],
                    loan_id=loan.pk,
                    cause=history.plan.risk_cause,
                    occurred_on=history.plan.risk_on - timedelta(days=40),
                    loss_percent=history.plan.risk_loss_percent,
                    loss_assessment=_("Assessed by the commune's risk-handling council."),
                    treatment="freeze" if history.plan.risk == FREEZE else "write_off",
                    freeze_months=history.plan.freeze_months or None,
                    freeze_until=history.freeze_until,
                    created_by=self.maker,
                )
                for history, loan in cases
            ]
        )
