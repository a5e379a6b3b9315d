"""The loans' maker–checker request kinds, registered when the app is ready."""

from django.urls import reverse

from policylend.approvals.registry import register_result_link

from . import changes, decision, reversal  # noqa: F401

register_result_link("loan", lambda pk: reverse("loans:detail", args=[pk]))
register_result_link("risk_batch", lambda pk: reverse("loans:risk_batch_detail", args=[pk]))
