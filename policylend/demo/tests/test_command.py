"""``manage.py demo_province`` at office scale on the real database: what it creates, that a
second run creates nothing, that every demo user can log in, that the books it leaves balance and
that the registers it writes pass the services' rules.

The office scale (8,620 households) is loaded once for the whole module, inside a transaction
rolled back at the end (what ``TestCase.setUpTestData`` does for a class); each test runs in its
own savepoint on top, so what a test writes (a login, a second run) is undone after it."""

import io
import time
from dataclasses import dataclass
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.test import Client, TestCase

from policylend.associations.models import (
    AssociationUnit,
    EntrustmentContract,
    EntrustmentTerms,
)
from policylend.associations.rules import DEFAULT_FEE_RATE_MONTHLY, DEFAULT_SPLIT_BP
from policylend.associations.services.contracts import expected_bank_unit
from policylend.core.text import fold
from policylend.demo import services
from policylend.demo.province import DEMO_PASSWORD, SCALE_OFFICE, province_plan
from policylend.demo.registers import registers_plan
from policylend.groups import rules as group_rules
from policylend.groups.models import BoardTerm, GroupMembership, SavingsGroup
from policylend.groups.selectors import group_list
from policylend.households.models import Classification, Household, Kinship, Person
from policylend.households.selectors import household_list
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.ledger.selectors import journal_entry_list, ledger_scope, trial_balance
from policylend.organisation.models import OrganisationUnit, TransactionPoint, UnitParentPeriod
from policylend.users.models import User
from policylend.users.roles import Role

TODAY = "25/11/2026"
SEED = 3
MODELS = (
    OrganisationUnit,
    UnitParentPeriod,
    TransactionPoint,
    User,
    JournalEntry,
    JournalLine,
    LogEntry,
    AssociationUnit,
    EntrustmentContract,
    EntrustmentTerms,
    Household,
    Person,
    Classification,
    SavingsGroup,
    GroupMembership,
    BoardTerm,
)


def run(scale=SCALE_OFFICE, seed=SEED, today=TODAY) -> str:
    out = io.StringIO()
    call_command(
        "demo_province", f"--scale={scale}", f"--seed={seed}", f"--today={today}", stdout=out
    )
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def log_in(username: str, password: str = DEMO_PASSWORD) -> bool:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9"
    )
    return response.status_code == 302 and client.session.get("_auth_user_id") is not None


@dataclass(frozen=True)
class Loaded:
    output: str
    seconds: float


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            # The loans (issue 4) add ~35 s at this scale: they are checked on one commune in
            # test_demo_loans_load.py, and the office scale with its loans is timed by hand.
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(services, "demo_loans_load", lambda **kwargs: {})
                started = time.perf_counter()
                output = run()
            yield Loaded(output, time.perf_counter() - started)
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture
def office_scale(loaded, db) -> str:
    return loaded.output


@pytest.fixture(scope="module")
def registers():
    return registers_plan(province_plan(scale=SCALE_OFFICE, seed=SEED), today=date(2026, 11, 25))


class TestOfficeScale:
    def test_creates_the_branch_bac_son_and_its_communes(self, office_scale):
        plan = province_plan(scale=SCALE_OFFICE, seed=SEED)
        branch = OrganisationUnit.objects.get(kind="branch")
        office = OrganisationUnit.objects.get(kind="office")
        assert (branch.code, branch.name) == ("740", "Chi nhánh NHCSXH tỉnh Lạng Sơn")
        assert office.name == "Phòng giao dịch NHCSXH huyện Bắc Sơn"
        communes = OrganisationUnit.objects.filter(kind="commune")
        assert communes.count() == len(plan.offices[0].communes) == 20
        assert OrganisationUnit.objects.filter(kind="village").count() == sum(
            1 for _ in plan.villages()
        )
        points = {
            p.commune.code: p.session_day
            for p in TransactionPoint.objects.select_related("commune")
        }
        assert points == {c.code: c.session_day for c in plan.communes()}
        assert "Loaded the office scale" in office_scale

    def test_units_carry_the_paths_and_history_unit_create_writes(self, office_scale):
        branch = OrganisationUnit.objects.get(kind="branch")
        for unit in OrganisationUnit.objects.select_related("parent"):
            assert unit.branch_id == branch.pk
            if unit.parent is None:
                assert (unit.path, unit.depth) == (f"/{unit.pk}/", 0)
            else:
                assert (unit.path, unit.depth) == (
                    f"{unit.parent.path}{unit.pk}/",
                    unit.parent.depth + 1,
                )
                period = UnitParentPeriod.objects.get(unit=unit)
                assert (period.parent_id, period.valid_to) == (unit.parent_id, None)

    def test_creates_a_user_for_every_role_with_the_planned_scope(self, office_scale):
        assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
        plan = province_plan(scale=SCALE_OFFICE, seed=SEED)
        for spec in plan.users:
            user = User.objects.select_related("scope_unit", "scope_association").get(
                username=spec.username
            )
            if spec.username == "leader.vulang":
                continue  # named after the group leader it stands for (TestRegisters)
            assert (user.full_name, user.role, user.scope_unit.code) == (
                spec.full_name,
                spec.role,
                spec.scope_code,
            )
            assert (
                user.scope_association.code if user.scope_association else None
            ) == spec.association_code
        root = User.objects.get(username="root")
        assert root.is_superuser and root.is_staff and root.role == Role.SYSTEM_ADMIN
        admin = User.objects.get(username="admin")
        assert not admin.is_superuser and not admin.is_staff

    def test_every_demo_user_can_log_in(self, office_scale):
        usernames = list(User.objects.values_list("username", flat=True))
        assert len(usernames) == len(province_plan(scale=SCALE_OFFICE, seed=SEED).users)
        assert [name for name in usernames if not log_in(name)] == []
        # The same check refuses a wrong password, so it cannot pass for the wrong reason.
        assert not log_in("manager", "Wrong-password-2026")

    def test_prints_every_login_the_password_once_and_the_url(self, office_scale):
        for username in User.objects.values_list("username", flat=True):
            assert f"\n{username} " in office_scale
        assert office_scale.count(DEMO_PASSWORD) == 1
        assert "http://127.0.0.1:8000" in office_scale

    def test_the_books_balance_and_each_office_sees_its_own_entries(self, office_scale):
        assert JournalEntry.objects.count() == 4
        for entry in JournalEntry.objects.all():
            assert entry.lines.aggregate(total=Sum("amount"))["total"] == 0
            assert entry.maker.username == "staff"
            assert entry.idempotency_key.startswith("demo-3-")
        manager = User.objects.get(username="manager")
        report = trial_balance(
            ledger_scope(manager), start=date(2026, 10, 1), end=date(2026, 11, 25)
        )
        assert report.is_balanced and report.totals["debits"] > 0
        teller = User.objects.get(username="teller.bacson")
        assert journal_entry_list(teller).count() == 4

    def test_a_second_run_changes_nothing_and_still_prints_the_logins(self, office_scale):
        before = counts()
        output = run()
        assert counts() == before
        assert "already exists" in output and "\nleader.vulang " in output

    def test_a_second_run_with_another_seed_changes_nothing_either(self, office_scale):
        before = counts()
        run(seed=4, today="20/12/2026")
        assert counts() == before


def kinship_ties(a: Person, b: Person) -> list[str]:
    return list(
        Kinship.objects.filter(Q(person=a, relative=b) | Q(person=b, relative=a)).values_list(
            "tie", flat=True
        )
    )


def candidate(person: Person) -> group_rules.BoardCandidate:
    return group_rules.BoardCandidate(
        person.pk, person.household_id, person.relationship, person.full_name
    )


class TestRegisters:
    def test_loads_the_office_scale_in_well_under_a_minute(self, loaded, db):
        # Measured 9-13 s on SQLite and 17-25 s on PostgreSQL on 2 cores; the bound leaves room
        # for the loans of the next issue (90 s in all) and a busy machine.
        assert loaded.seconds < 60, f"the office scale took {loaded.seconds:.1f} s"

    def test_writes_what_the_plan_holds(self, office_scale, registers):
        assert AssociationUnit.objects.count() == len(registers.association_units) == 88
        assert EntrustmentContract.objects.count() == len(registers.contracts) == 88
        assert Household.objects.count() == len(registers.households) == 8_620
        assert Person.objects.count() == sum(1 for _ in registers.persons())
        assert Classification.objects.count() == sum(1 for _ in registers.classifications())
        assert SavingsGroup.objects.count() == len(registers.groups) == 196
        assert GroupMembership.objects.filter(left_on__isnull=True).count() == sum(
            len(group.household_codes) for group in registers.groups
        )
        assert BoardTerm.objects.filter(ended_on__isnull=True).count() == 2 * 196
        assert (
            "Registers of branch: 88 association units, 88 entrustment contracts, "
            "196 savings-and-loan groups, 8,620 households," in office_scale
        )

    def test_association_units_hang_under_their_higher_level(self, office_scale):
        for unit in AssociationUnit.objects.select_related("parent", "unit"):
            if unit.level == "province":
                assert unit.parent is None and unit.unit.kind == "branch"
            else:
                assert unit.parent.association_id == unit.association_id
                assert unit.parent.unit_id == unit.unit.parent_id
        vu_lang = AssociationUnit.objects.get(association__code="11", unit__name="Vũ Lăng")
        assert vu_lang.name == "Hội Nông dân xã Vũ Lăng"
        assert vu_lang.parent.name == "Hội Nông dân huyện Bắc Sơn"
        assert vu_lang.parent.parent.name == "Hội Nông dân tỉnh Lạng Sơn"

    def test_each_contract_is_signed_by_the_expected_bank_unit_with_the_default_terms(
        self, office_scale
    ):
        for contract in EntrustmentContract.objects.select_related("association_unit__unit"):
            assert contract.bank_unit_id == expected_bank_unit(contract.association_unit).pk
            (terms,) = contract.terms.all()
            assert terms.fee_rate_monthly == DEFAULT_FEE_RATE_MONTHLY
            assert tuple(terms.split) == DEFAULT_SPLIT_BP
            assert terms.effective_from == contract.valid_from
            assert contract.created_by.username == "admin"

    def test_every_group_has_5_to_60_members_living_in_its_villages(self, office_scale):
        sizes = SavingsGroup.objects.annotate(
            n=Count("memberships", filter=Q(memberships__left_on__isnull=True))
        ).values_list("n", flat=True)
        assert all(group_rules.founding_size_problems(n) == [] for n in sizes)
        for group in SavingsGroup.objects.prefetch_related("villages"):
            villages = {village.pk for village in group.villages.all()}
            lived_in = set(
                Household.objects.filter(
                    group_memberships__group=group, group_memberships__left_on__isnull=True
                ).values_list("village_id", flat=True)
            )
            assert lived_in <= villages and group.village_id in villages

    def test_no_household_is_in_two_groups(self, office_scale):
        twice = (
            GroupMembership.objects.filter(left_on__isnull=True)
            .values("household_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not twice.exists()
        outside = Household.objects.exclude(
            pk__in=GroupMembership.objects.filter(left_on__isnull=True).values("household_id")
        ).count()
        assert 0 < outside < Household.objects.count() * 0.02  # the direct borrowers

    def test_leader_and_deputy_are_members_and_not_close_relatives(self, office_scale):
        terms = BoardTerm.objects.filter(ended_on__isnull=True).select_related("person")
        board: dict[int, dict[str, Person]] = {}
        for term in terms:
            board.setdefault(term.group_id, {})[term.role] = term.person
        assert len(board) == 196
        members = set(
            GroupMembership.objects.filter(left_on__isnull=True).values_list(
                "group_id", "household_id"
            )
        )
        for group_id, seats in board.items():
            leader, deputy = seats["leader"], seats["deputy"]
            assert (group_id, leader.household_id) in members
            assert (group_id, deputy.household_id) in members
            assert (
                group_rules.board_tie_problems(
                    candidate(deputy),
                    "Deputy",
                    candidate(leader),
                    "Leader",
                    kinship_ties(leader, deputy),
                )
                == []
            )

    def test_households_are_found_by_the_head_name_typed_without_accents(
        self, office_scale, registers
    ):
        officer = User.objects.get(username="officer.bacson")
        for planned in (registers.households[0], registers.households[-1]):
            typed = fold(planned.head.full_name)
            assert typed.isascii()
            found = household_list(officer, search=typed)
            assert planned.code in set(found.values_list("code", flat=True))
            assert household_list(officer, search=planned.code).get().code == planned.code

    def test_classifications_are_recorded_by_the_branch_staff(self, office_scale):
        recorded_by = set(Classification.objects.values_list("recorded_by__username", flat=True))
        assert recorded_by == {"staff"}
        assert set(Classification.objects.values_list("kind", flat=True)) == {
            "poor",
            "near_poor",
            "escaped_poverty",
            "ethnic_minority",
        }

    def test_every_register_row_has_its_audit_record(self, office_scale):
        for model in (Household, AssociationUnit, EntrustmentContract, SavingsGroup):
            logged = LogEntry.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                action=LogEntry.Action.CREATE,
            ).count()
            assert logged == model.objects.count(), model.__name__

    def test_leader_vulang_bears_the_name_of_the_leader_of_a_vu_lang_group(
        self, office_scale, registers
    ):
        (login,) = registers.leader_logins
        user = User.objects.get(username="leader.vulang")
        term = BoardTerm.objects.get(
            group__code=login.group_code, role="leader", ended_on__isnull=True
        )
        assert user.full_name == term.person.full_name == login.full_name
        assert term.group.commune.name == "Vũ Lăng"
        assert log_in("leader.vulang")
        # The login is the sitting leader's: its due lists are that group's (issue 5).
        assert term.user == user
        from policylend.users.access import led_group_ids

        assert led_group_ids(user) == [term.group_id]

    def test_association_officers_see_only_their_associations_groups(self, office_scale):
        women = User.objects.get(username="women.vulang")
        groups = group_list(women)
        assert groups.exists()
        assert set(groups.values_list("association_unit__association__code", flat=True)) == {"12"}
        assert set(groups.values_list("commune__name", flat=True)) == {"Vũ Lăng"}
