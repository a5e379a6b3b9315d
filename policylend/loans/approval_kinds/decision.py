"""``loans.decision``: a credit officer or branch staff proposes to approve or reject a certified
application; a controller or branch manager of the office (never the maker) decides."""

from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register
from policylend.users.roles import Capability

from ..services.decision import (
    DECISION_KIND,
    decision_apply,
    decision_describe,
    decision_validate,
)

register(
    ApprovalKind(
        code=DECISION_KIND,
        label=gettext_lazy("Decision on a loan application"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=decision_validate,
        apply=decision_apply,
        describe=decision_describe,
        detail_template="loans/origination_approval_decision.html",
        subject=lambda payload: f"loan:{payload['loan_id']}",
    )
)
