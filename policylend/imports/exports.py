"""Every list of the registers and of the organisation, exported to Excel with the same filters
as its page, through that list's own selector — so an export holds exactly what its reader may
see. National IDs are masked unless the reader's role may see them; then each one written is
logged as a viewing, like a reveal on the page (Law 91/2025)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.excel import Column
from policylend.users import access
from policylend.users.roles import Capability

ITERATOR_CHUNK = 2_000
SEARCH_LENGTH_MAX = 60


def _int(params: Mapping, name: str) -> int | None:
    value = str(params.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def _text(params: Mapping, name: str) -> str:
    return str(params.get(name) or "").strip()[:SEARCH_LENGTH_MAX]


@dataclass(frozen=True)
class Export:
    name: str
    title: object  # a lazy string
    rows: Callable[[object, Mapping], Iterator]
    columns: Callable[[object], list[Column]]

    def filename(self) -> str:
        return f"{self.name}-{timezone.localdate():%Y%m%d}.xlsx"


def _iterate(queryset) -> Iterator:
    return queryset.iterator(chunk_size=ITERATOR_CHUNK)


# --- households -------------------------------------------------------------------------------------


def _household_rows(viewer, params: Mapping) -> Iterator:
    from policylend.households import selectors

    households = selectors.household_list(
        viewer,
        search=_text(params, "q"),
        commune_id=_int(params, "commune"),
        village_id=_int(params, "village"),
        status=_text(params, "status") or None,
        office_id=_int(params, "office"),
    ).select_related("head__household__village", "office")
    return _iterate(households)


def _household_columns(viewer) -> list[Column]:
    from policylend.households.rules import ethnicity_label, mask_national_id
    from policylend.households.services import national_id_reveal

    if access.can(viewer, Capability.VIEW_NATIONAL_ID):
        where = _("Excel export of households")

        def national_id(household) -> str:
            if household.head is None or not household.head.national_id:
                return ""
            return national_id_reveal(viewer=viewer, person=household.head, where=where)

    else:

        def national_id(household) -> str:
            return mask_national_id(household.head.national_id if household.head else None)

    head = lambda h, attr: getattr(h.head, attr) if h.head is not None else None  # noqa: E731
    return [
        Column(_("Customer code"), lambda h: h.code, 13, text=True),
        Column(_("Head of household"), lambda h: head(h, "full_name"), 28),
        Column(_("Sex"), lambda h: h.head.get_sex_display() if h.head else "", 8),
        Column(_("Birth date"), lambda h: head(h, "birth_date"), 12),
        Column(_("National ID"), national_id, 16, text=True),
        Column(_("Phone"), lambda h: h.phone, 13, text=True),
        Column(_("Ethnicity"), lambda h: ethnicity_label(h.ethnicity), 12),
        Column(_("Address"), lambda h: h.address, 30),
        Column(_("Village code"), lambda h: h.village.code, 11, text=True),
        Column(_("Village"), lambda h: h.village.name, 20),
        Column(_("Commune"), lambda h: h.commune.name, 18),
        Column(_("Transaction office"), lambda h: h.office.name, 18),
        Column(_("Members"), lambda h: getattr(h, "member_count", None), 9),
        Column(_("Status"), lambda h: h.get_status_display(), 12),
    ]


# --- groups -------------------------------------------------------------------------------------------


def _group_rows(viewer, params: Mapping) -> Iterator:
    from policylend.groups import selectors

    groups = selectors.group_list(
        viewer,
        search=_text(params, "q"),
        office_id=_int(params, "office"),
        commune_id=_int(params, "commune"),
        association_id=_int(params, "association"),
        status=_text(params, "status") or None,
    )
    return _iterate(groups.order_by("code"))


def _group_columns(viewer) -> list[Column]:
    return [
        Column(_("Group code"), lambda g: g.code, 11, text=True),
        Column(_("Name"), lambda g: g.name, 26),
        Column(_("Village code"), lambda g: g.village.code, 11, text=True),
        Column(_("Village"), lambda g: g.village.name, 20),
        Column(_("Commune"), lambda g: g.commune.name, 18),
        Column(_("Transaction office"), lambda g: g.office.name, 18),
        Column(_("Association"), lambda g: str(g.association_unit.association), 24),
        Column(_("Managed by"), lambda g: g.association_unit.name, 26),
        Column(_("Members"), lambda g: getattr(g, "member_count", None), 9),
        Column(_("Founded on"), lambda g: g.founded_on, 12),
        Column(_("Decision"), lambda g: g.approval_decision, 16),
        Column(_("Decision date"), lambda g: g.approval_decision_on, 12),
        Column(_("Status"), lambda g: g.get_status_display(), 12),
    ]


# --- association units -----------------------------------------------------------------------------------


def _association_unit_rows(viewer, params: Mapping) -> Iterator:
    from policylend.associations import selectors

    active = _text(params, "active")
    units = selectors.association_unit_list(
        viewer,
        association_id=_int(params, "association"),
        level=_text(params, "level") or None,
        search=_text(params, "q"),
        active={"1": True, "0": False}.get(active),
    )
    return _iterate(units)


def _association_unit_columns(viewer) -> list[Column]:
    return [
        Column(_("Association"), lambda u: str(u.association), 26),
        Column(_("Level"), lambda u: u.get_level_display(), 12),
        Column(_("Name"), lambda u: u.name, 30),
        Column(_("Place code"), lambda u: u.unit.code, 11, text=True),
        Column(_("Place"), lambda u: u.unit.name, 20),
        Column(_("Higher level"), lambda u: u.parent.name if u.parent_id else "", 30),
        Column(_("Chair"), lambda u: u.chair_name, 22),
        Column(_("Phone"), lambda u: u.phone, 13, text=True),
        Column(_("Active"), lambda u: u.is_active, 8),
    ]


# --- organisation ------------------------------------------------------------------------------------------


def _unit_rows(viewer, params: Mapping) -> Iterator:
    from policylend.organisation import selectors

    access.require(viewer, Capability.VIEW_ORGANISATION)
    units = selectors.unit_list(
        viewer,
        kind=_text(params, "kind") or None,
        status=_text(params, "status") or None,
        search=_text(params, "q"),
        parent_id=_int(params, "parent"),
    )
    return _iterate(units.order_by("path"))


def _unit_columns(viewer) -> list[Column]:
    return [
        Column(_("Code"), lambda u: u.code, 11, text=True),
        Column(_("Name"), lambda u: u.name, 26),
        Column(_("Kind"), lambda u: u.get_kind_display(), 16),
        Column(_("Belongs to"), lambda u: u.parent.name if u.parent_id else "", 24),
        Column(_("Status"), lambda u: u.get_status_display(), 10),
        Column(_("Opened on"), lambda u: u.opened_on, 12),
        Column(_("Closed on"), lambda u: u.closed_on, 12),
        Column(_("Address"), lambda u: u.address, 30),
    ]


def _point_rows(viewer, params: Mapping) -> Iterator:
    from policylend.organisation import selectors

    access.require(viewer, Capability.VIEW_ORGANISATION)
    points = selectors.transaction_point_list(
        viewer,
        active_only=not _text(params, "closed"),
        search=_text(params, "q"),
        office_id=_int(params, "office"),
        session_day=_int(params, "session_day"),
    )
    return _iterate(points.order_by("commune__path", "code"))


def _point_columns(viewer) -> list[Column]:
    return [
        Column(_("Code"), lambda p: p.code, 12, text=True),
        Column(_("Name"), lambda p: p.name, 30),
        Column(_("Commune"), lambda p: p.commune.name, 20),
        Column(_("Transaction office"), lambda p: p.commune.parent.name, 20),
        Column(_("Session day"), lambda p: p.session_day, 10),
        Column(_("Address"), lambda p: p.address, 30),
        Column(_("Active"), lambda p: p.is_active, 8),
        Column(_("Opened on"), lambda p: p.opened_on, 12),
    ]


def _user_rows(viewer, params: Mapping) -> Iterator:
    from policylend.users import selectors

    active = _text(params, "active")
    users = selectors.user_list(
        viewer,
        role=_text(params, "role") or None,
        search=_text(params, "q"),
        active={"1": True, "0": False}.get(active),
    )
    return _iterate(users.order_by("username"))


def _user_columns(viewer) -> list[Column]:
    return [
        Column(_("Username"), lambda u: u.username, 18, text=True),
        Column(_("Full name"), lambda u: u.full_name, 24),
        Column(_("Role"), lambda u: u.get_role_display(), 20),
        Column(_("Scope"), lambda u: u.scope_unit.name if u.scope_unit_id else "", 20),
        Column(_("Association"), lambda u: str(u.scope_association or ""), 22),
        Column(_("Phone"), lambda u: u.phone, 13, text=True),
        Column(_("Active"), lambda u: u.is_active, 8),
        Column(_("Last login"), lambda u: u.last_login, 16),
    ]


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export("households", gettext_lazy("Households"), _household_rows, _household_columns),
        Export("groups", gettext_lazy("Savings-and-loan groups"), _group_rows, _group_columns),
        Export(
            "association-units",
            gettext_lazy("Association units"),
            _association_unit_rows,
            _association_unit_columns,
        ),
        Export("units", gettext_lazy("Organisation units"), _unit_rows, _unit_columns),
        Export("points", gettext_lazy("Transaction points"), _point_rows, _point_columns),
        Export("users", gettext_lazy("Users"), _user_rows, _user_columns),
    )
}
