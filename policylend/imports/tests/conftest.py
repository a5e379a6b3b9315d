import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded workbooks and progress files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(org, make_user):
    """A credit officer of office A (Bắc Sơn)."""
    return make_user("credit_officer", org.office_a, username="officer.bacson")


@pytest.fixture
def associations(org):
    """The Farmers' Association (11) and the Women's Union (12) at commune 206001 (Vũ Lăng)."""
    from policylend.associations.models import Association
    from policylend.associations.services import association_unit_create

    units = {}
    for code in ("11", "12"):
        association = Association.objects.get(code=code)
        units[code] = association_unit_create(
            actor=None, association=association, unit=org.commune_a1, name=f"{association} Vũ Lăng"
        )
    return units
