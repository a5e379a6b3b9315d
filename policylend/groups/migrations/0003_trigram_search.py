from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS groups_savingsgroup_search_trgm ON groups_savingsgroup "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS groups_savingsgroup_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("groups", "0002_initial"), ("households", "0002_trigram_search")]
    operations = [migrations.RunPython(create, drop)]
