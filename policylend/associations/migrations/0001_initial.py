from django.db import migrations, models

ASSOCIATIONS = [
    ("11", "Hội Nông dân", "Farmers' Association", "किसान संघ"),
    ("12", "Hội Liên hiệp Phụ nữ", "Women's Union", "महिला संघ"),
    ("13", "Hội Cựu chiến binh", "Veterans' Association", "पूर्व सैनिक संघ"),
    (
        "14",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Ho Chi Minh Communist Youth Union",
        "हो ची मिन्ह कम्युनिस्ट युवा संघ",
    ),
]


def seed(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    for code, vi, en, hi in ASSOCIATIONS:
        Association.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_hi": hi}
        )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Association",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=2, unique=True, verbose_name="code")),
                ("name_vi", models.CharField(max_length=120, verbose_name="name (Vietnamese)")),
                ("name_en", models.CharField(max_length=120, verbose_name="name (English)")),
                ("name_hi", models.CharField(max_length=120, verbose_name="name (Hindi)")),
            ],
            options={
                "verbose_name": "association",
                "verbose_name_plural": "associations",
                "ordering": ["code"],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
