"""Turn a demo plan (policylend.demo.province and .registers) into rows, through the services of
each app.

Units and transaction points go through ``unit_create`` and ``transaction_point_create``, so
paths, branches, parent periods and the audit log are exactly what the application writes;
entries go through ``journal_entry_post``. Measured on 2 cores, the province's organisation
(≈ 2,150 units, half the time spent in the audit log) takes about 4.5 s on SQLite and 10 s on
PostgreSQL this way, so no bulk path is needed there. The registers (associations, households,
groups) are written by ``registers_load`` through the apps' bulk services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from policylend.associations.models import Association, AssociationUnit, EntrustmentContract
from policylend.core.errors import DomainError
from policylend.groups.models import SavingsGroup
from policylend.households.models import Classification, Household, Person
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.organisation.services import transaction_point_create, unit_create
from policylend.users.models import User
from policylend.users.roles import ROLE_SCOPE_KINDS
from policylend.users.services import USERNAME_PATTERN

from .loans_load import demo_loans_load
from .province import (
    ASSOCIATION_OFFICER,
    BRANCH_ADDRESS,
    BRANCH_OPENED_ON,
    BRANCH_STAFF,
    COMMUNES_OPENED_ON,
    DEBIT,
    DEMO_PASSWORD,
    SYSTEM_ADMIN,
    ProvincePlan,
    UserPlan,
    ledger_plan,
)
from .registers import RegistersPlan
from .registers_load import registers_load
from .savings_load import demo_savings_accounts_open


@dataclass
class DemoLoad:
    """What a load did: ``created`` is False when the demo branch was already there."""

    created: bool
    users: list[User]
    counts: dict[str, int] = field(default_factory=dict)


def demo_province_load(
    *,
    plan: ProvincePlan,
    today: date,
    registers: RegistersPlan | None = None,
    password: str = DEMO_PASSWORD,
    loans: bool = True,
) -> DemoLoad:
    """Create the demo branch, its offices, communes, villages, points, users and opening entries,
    then the registers when given (associations, contracts, households, groups) and the
    households' loans with their history (``loans_load``; ``loans=False`` leaves them out), in
    one database transaction, or nothing at all if the branch already exists."""
    names = (
        {login.username: login.full_name for login in registers.leader_logins} if registers else {}
    )
    try:
        with transaction.atomic(durable=True):
            if OrganisationUnit.objects.filter(code=plan.branch_code).exists():
                return DemoLoad(created=False, users=_existing_users(plan))
            units, points = _organisation_create(plan)
            users = _users_create(plan, units, password, names)
            maker = _first(users, BRANCH_STAFF)
            entries = _ledger_post(plan, units, maker=maker, today=today)
            register_counts = (
                registers_load(
                    registers=registers,
                    units=units,
                    admin=_first(users, SYSTEM_ADMIN),
                    staff=maker,
                    today=today,
                )
                if registers is not None
                else {}
            )
            if registers is not None:
                _leader_logins_link(registers, users)
            if registers is not None and loans:
                register_counts.update(
                    demo_loans_load(
                        branch=units[plan.branch_code], maker=maker, seed=plan.seed, today=today
                    )
                )
            if registers is not None:
                register_counts.update(
                    demo_savings_accounts_open(
                        branch=units[plan.branch_code], maker=maker, seed=plan.seed, today=today
                    )
                )
    except IntegrityError:
        # Another load committed the branch while this one ran (PostgreSQL): that one won.
        if not OrganisationUnit.objects.filter(code=plan.branch_code).exists():
            raise
        return DemoLoad(created=False, users=_existing_users(plan))
    counts = {
        kind: sum(1 for unit in units.values() if unit.kind == kind) for kind in UnitKind.values
    }
    counts.update(points=points, users=len(users), entries=entries, **register_counts)
    return DemoLoad(created=True, users=users, counts=counts)


def _leader_logins_link(registers: RegistersPlan, users: list[User]) -> None:
    """A group leader's demo login (``leader.vulang``) is the user of the sitting leader's board
    term of the group it leads: that is what limits the leader's due lists to the group
    (``users.access.led_group_ids``)."""
    from policylend.groups.models import BoardRole, BoardTerm

    by_name = {user.username: user for user in users}
    for login in registers.leader_logins:
        user = by_name.get(login.username)
        if user is not None:
            BoardTerm.objects.filter(
                group__code=login.group_code, role=BoardRole.LEADER, ended_on__isnull=True
            ).update(user=user)


def _first(users: list[User], role: str) -> User:
    """The first demo user of ``role`` who is not the Django superuser."""
    return next(user for user in users if user.role == role and not user.is_superuser)


def demo_registers_summary(branch_code: str) -> dict[str, int]:
    """What the branch's registers hold: the summary the command prints after a load or a rerun."""
    branch = OrganisationUnit.objects.filter(code=branch_code).first()
    if branch is None:
        return {}
    return {
        "association_units": AssociationUnit.objects.filter(branch=branch).count(),
        "contracts": EntrustmentContract.objects.filter(branch=branch).count(),
        "groups": SavingsGroup.objects.filter(branch=branch).count(),
        "households": Household.objects.filter(branch=branch).count(),
        "persons": Person.objects.filter(household__branch=branch).count(),
        "classifications": Classification.objects.filter(household__branch=branch).count(),
    }


def demo_loans_summary(branch_code: str) -> dict[str, int]:
    """What the branch's loans hold: loans by status and their outstanding principal."""
    from django.db.models import Count, Sum

    from policylend.loans.models import Loan

    by_status = dict(
        Loan.objects.filter(branch__code=branch_code)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    outstanding = Loan.objects.filter(branch__code=branch_code).aggregate(
        total=Sum("principal_in_term") + Sum("principal_overdue") + Sum("principal_frozen")
    )["total"]
    return {"loans": sum(by_status.values()), "outstanding": outstanding or 0, **by_status}


def _organisation_create(plan: ProvincePlan) -> tuple[dict[str, OrganisationUnit], int]:
    units: dict[str, OrganisationUnit] = {}
    branch = unit_create(
        kind=UnitKind.BRANCH,
        code=plan.branch_code,
        name=plan.branch_name,
        parent=None,
        opened_on=BRANCH_OPENED_ON,
        actor=None,
        address=BRANCH_ADDRESS,
    )
    units[branch.code] = branch
    points = 0
    for office_plan in plan.offices:
        office = unit_create(
            kind=UnitKind.OFFICE,
            code=office_plan.code,
            name=office_plan.name,
            parent=branch,
            opened_on=BRANCH_OPENED_ON,
            actor=None,
            address=office_plan.address,
        )
        units[office.code] = office
        for commune_plan in office_plan.communes:
            commune = unit_create(
                kind=UnitKind.COMMUNE,
                code=commune_plan.code,
                name=commune_plan.name,
                parent=office,
                opened_on=COMMUNES_OPENED_ON,
                actor=None,
                address=commune_plan.point_address,
            )
            units[commune.code] = commune
            for village_plan in commune_plan.villages:
                village = unit_create(
                    kind=UnitKind.VILLAGE,
                    code=village_plan.code,
                    name=village_plan.name,
                    parent=commune,
                    opened_on=COMMUNES_OPENED_ON,
                    actor=None,
                )
                units[village.code] = village
            transaction_point_create(
                commune=commune,
                code=commune_plan.point_code,
                name=commune_plan.point_name,
                session_day=commune_plan.session_day,
                address=commune_plan.point_address,
                opened_on=COMMUNES_OPENED_ON,
                actor=None,
            )
            points += 1
    return units, points


def _users_create(
    plan: ProvincePlan,
    units: dict[str, OrganisationUnit],
    password: str,
    names: dict[str, str] | None = None,
) -> list[User]:
    """Create the demo users, all with one password.

    ``users.services.user_create`` hashes each password with PBKDF2 (about 0.2 s a user here,
    six seconds for the demo's users), so the demo checks the same rules — username format,
    scope level, Django's password validators — and hashes the shared password once. ``names``
    renames a login after the person it stands for (the group leader's login).
    """
    association_ids = dict(Association.objects.values_list("code", "id"))
    encoded = make_password(password)
    users = []
    for spec in plan.users:
        user = _user_build(spec, units, association_ids)
        user.full_name = (names or {}).get(spec.username, user.full_name)
        password_validation.validate_password(password, user)
        user.password = encoded
        user.save()
        users.append(user)
    return users


def _user_build(
    spec: UserPlan, units: dict[str, OrganisationUnit], association_ids: dict[str, int]
) -> User:
    unit = units[spec.scope_code]
    if not re.fullmatch(USERNAME_PATTERN, spec.username):
        raise DomainError(
            "demo_username_format", f"Username {spec.username!r} is not valid.", "username"
        )
    if unit.kind not in ROLE_SCOPE_KINDS[spec.role]:
        raise DomainError(
            "demo_scope_level",
            f"{spec.username}: a {spec.role} cannot be scoped to a {unit.kind}.",
            "scope_unit",
        )
    if (spec.association_code is None) != (spec.role != ASSOCIATION_OFFICER):
        raise DomainError(
            "demo_association",
            f"{spec.username}: only association officers have an association.",
            "scope_association",
        )
    return User(
        username=spec.username,
        full_name=spec.full_name,
        role=spec.role,
        scope_unit=unit,
        scope_association_id=association_ids[spec.association_code]
        if spec.association_code
        else None,
        is_superuser=spec.is_superuser,
        is_staff=spec.is_superuser,
    )


def _ledger_post(
    plan: ProvincePlan, units: dict[str, OrganisationUnit], *, maker: User, today: date
) -> int:
    branch = units[plan.branch_code]
    posted = 0
    for entry in ledger_plan(plan, today=today):
        lines = [
            (debit if line.side == DEBIT else credit)(
                line.account, line.amount, office_id=units[line.office_code].pk
            )
            for line in entry.lines
        ]
        result = journal_entry_post(
            branch=branch,
            value_date=entry.value_date,
            kind=entry.kind,
            memo=entry.memo,
            lines=lines,
            idempotency_key=entry.idempotency_key,
            maker=maker,
            today=today,
        )
        posted += not result.replayed
    return posted


def _existing_users(plan: ProvincePlan) -> list[User]:
    found = {
        user.username: user
        for user in User.objects.select_related("scope_unit", "scope_association").filter(
            username__in=[spec.username for spec in plan.users]
        )
    }
    return [found[spec.username] for spec in plan.users if spec.username in found]
