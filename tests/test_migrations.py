from io import StringIO

from django.core.management import call_command


def test_the_models_and_the_migrations_agree(db):
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
