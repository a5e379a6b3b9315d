from django.db import migrations

from policylend.ledger.chart_seed import seed_chart


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_immutability_triggers")]
    operations = [migrations.RunPython(seed_chart, migrations.RunPython.noop)]
