"""Load the catalogue into the database; the data migration calls it with its historical models.
Idempotent: a programme is found by its code, a version by its programme and date, and neither
is changed once there (later changes go through maker–checker)."""

from .catalogue import PROGRAMMES


def seed_catalogue(apps, schema_editor=None) -> None:
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeTerms = apps.get_model("programmes", "ProgrammeTerms")
    for spec in PROGRAMMES:
        programme, _ = Programme.objects.get_or_create(
            code=spec.code,
            defaults={
                "name_vi": spec.name_vi,
                "name_en": spec.name_en,
                "name_hi": spec.name_hi,
                "legal_basis": spec.legal_basis,
                "channel": spec.channel,
                "funding_sources": list(spec.funding_sources),
                "extra_fields": list(spec.extra_fields),
            },
        )
        for terms in spec.terms:
            ProgrammeTerms.objects.get_or_create(
                programme=programme,
                effective_from=terms.effective_from,
                defaults={
                    "rate_basis": terms.rate_basis,
                    "annual_rate": terms.annual_rate,
                    "rate_factor": terms.rate_factor,
                    "overdue_factor": terms.overdue_factor,
                    "amount_max": terms.amount_max,
                    "amount_basis": terms.amount_basis,
                    "amount_share": terms.amount_share,
                    "term_months_max": terms.term_months_max,
                    "repayment_mode": terms.repayment_mode,
                    "repayment_interval_months": terms.repayment_interval_months,
                    "grace_months": terms.grace_months,
                    "eligible_classifications": list(terms.eligible_classifications),
                    "eligible_areas": list(terms.eligible_areas),
                    "applies_to_existing": terms.applies_to_existing,
                    "note": terms.note,
                },
            )
