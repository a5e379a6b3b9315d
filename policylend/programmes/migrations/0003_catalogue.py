from django.db import migrations

from policylend.programmes.catalogue_seed import seed_catalogue


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_terms_amount_share")]

    operations = [migrations.RunPython(seed_catalogue, migrations.RunPython.noop)]
