"""On PostgreSQL, trigram indexes make "contains" searches on the folded names use an index
(LIKE '%nguyen van%'); SQLite scans the folded column, which is fast enough at office scale."""

from django.db import migrations

INDEXES = [
    ("households_person_search_trgm", "households_person", "search_name"),
    ("households_household_search_trgm", "households_household", "search_text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
