"""``rows_update`` writes what bulk_update would, in one statement, on either database."""

from datetime import date

import pytest

from policylend.core.bulk import rows_update
from policylend.organisation.models import OrganisationUnit

pytestmark = pytest.mark.django_db


def test_rows_update_writes_each_rows_own_values_a_null_first(org):
    units = list(OrganisationUnit.objects.filter(kind="commune").order_by("pk")[:2])
    assert len(units) == 2
    units[0].name, units[0].closed_on = "Xã Một", None
    units[1].name, units[1].closed_on = "Xã Hai", date(2026, 1, 31)
    rows_update(OrganisationUnit, units, ["name", "closed_on"])
    fresh = OrganisationUnit.objects.in_bulk([unit.pk for unit in units])
    assert (fresh[units[0].pk].name, fresh[units[0].pk].closed_on) == ("Xã Một", None)
    assert (fresh[units[1].pk].name, fresh[units[1].pk].closed_on) == ("Xã Hai", date(2026, 1, 31))


def test_rows_update_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows_update(OrganisationUnit, [], ["name"])
