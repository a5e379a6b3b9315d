from enum import StrEnum


class ApprovalErrorCode(StrEnum):
    UNKNOWN_KIND = "approval_unknown_kind"
    NOT_PENDING = "approval_not_pending"
    MAKER_CANNOT_CHECK = "approval_maker_cannot_check"
    CHECKER_ROLE = "approval_checker_role"
    MAKER_ROLE = "approval_maker_role"
    OUTSIDE_SCOPE = "approval_outside_scope"
    NOT_MAKER = "approval_not_maker"
    REASON_REQUIRED = "approval_reason_required"
    KEY_REUSED = "approval_idempotency_key_reused"
    ALREADY_WAITING = "approval_already_waiting"
