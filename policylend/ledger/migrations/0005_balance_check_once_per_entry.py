from django.db import migrations

from policylend.ledger import triggers


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(triggers.BALANCE_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_chart_of_accounts")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
