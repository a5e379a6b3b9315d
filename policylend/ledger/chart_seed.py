"""Load the chart into the database; migrations call it with their historical models."""

from .chart import CHART


def seed_chart(apps, schema_editor=None) -> None:
    Account = apps.get_model("ledger", "Account")
    by_code = {}
    for spec in CHART:
        account, _ = Account.objects.update_or_create(
            code=spec.code,
            defaults={
                "type": spec.type,
                "name_vi": spec.name_vi,
                "name_en": spec.name_en,
                "name_hi": spec.name_hi,
                "parent": by_code.get(spec.parent),
                "is_postable": spec.is_postable,
                "off_balance": spec.off_balance,
                "programme_code": spec.programme_code,
            },
        )
        by_code[spec.code] = account
