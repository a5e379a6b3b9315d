from enum import StrEnum


class LoanErrorCode(StrEnum):
    """Shared codes (services/common.py)."""

    NOT_FOUND = "not_found"
    TRANSITION = "loans_status_transition"
    NOT_ACTIVE = "loans_not_active"


class OriginationErrorCode(StrEnum):
    """Application, reviews, decision, disbursement."""

    # Application (Form 01/TD).
    NOT_GROUP_MEMBER = "loans_not_group_member"
    GROUP_CLOSED = "loans_group_closed"
    HOUSEHOLD_INACTIVE = "loans_household_inactive"
    HOUSEHOLD_UNKNOWN = "loans_household_unknown"
    BORROWER_NOT_MEMBER = "loans_borrower_not_member"
    PROGRAMME_CLOSED = "loans_programme_closed"
    AMOUNT_INVALID = "loans_amount_invalid"
    TERM_INVALID = "loans_term_invalid"
    TEXT_INVALID = "loans_text_invalid"
    FUNDING_SOURCE = "loans_funding_source"
    FIELD_REQUIRED = "loans_programme_field_required"
    FIELD_INVALID = "loans_programme_field_invalid"
    NOT_ELIGIBLE = "loans_not_eligible"
    AMOUNT_OVER_LIMIT = "loans_amount_over_limit"
    DATE_INVALID = "loans_date_invalid"
    # Reviews.
    REVIEW_STAGE = "loans_review_stage"
    REVIEW_ORDER = "loans_review_order"
    REVIEW_DONE = "loans_review_done"
    REVIEW_MEETING = "loans_review_meeting"
    REVIEW_ABSENT = "loans_review_absent"
    REVIEW_WHO = "loans_review_who"
    REVIEW_DECISION = "loans_review_decision"
    # Decision.
    DECISION_STATUS = "loans_decision_status"
    DECISION_AMOUNT = "loans_decision_amount"
    DECISION_REASON = "loans_decision_reason"
    # Disbursement.
    DISBURSE_STATUS = "loans_disburse_status"
    DISBURSE_POINT = "loans_disburse_point"
    DISBURSE_DAY = "loans_disburse_day"
    DISBURSE_KEY_REUSED = "loans_disburse_key_reused"


class ServicingErrorCode(StrEnum):
    """Accrual, repayment, overdue, settlement, reversal."""

    MONTH_NOT_ENDED = "loans_accrual_month_not_ended"
    NOT_A_BRANCH = "loans_not_a_branch"
    LOANS_CHANGED = "loans_changed_during_run"
    DATE_FUTURE = "loans_date_in_future"
    DATE_TOO_EARLY = "loans_date_too_early"
    NOT_REPAYABLE = "loans_not_repayable"
    NOTHING_PAID = "loans_nothing_paid"
    AMOUNT_NEGATIVE = "loans_amount_negative"
    OVERPAYMENT_INTEREST = "loans_overpayment_interest"
    OVERPAYMENT_PRINCIPAL = "loans_overpayment_principal"
    POINT_NOT_OF_COMMUNE = "loans_point_not_of_commune"
    KEY_REUSED = "loans_idempotency_key_reused"
    NOT_A_UNIT_FOR_RUN = "loans_run_unit"
    REASON_REQUIRED = "loans_reason_required"
    ALREADY_REVERSED = "loans_transaction_already_reversed"
    NOT_REVERSIBLE = "loans_transaction_not_reversible"
    LATER_DEPENDS = "loans_later_transaction_depends"
    INVALID_MONTH = "loans_invalid_month"


class ChangeErrorCode(StrEnum):
    """Rescheduling, extension, risk handling."""

    NOT_IN_TERM = "loans_change_not_in_term"
    INSTALMENT_NOT_FOUND = "loans_instalment_not_found"
    INSTALMENT_PAID = "loans_instalment_paid"
    INSTALMENT_OVERDUE = "loans_instalment_overdue"
    LAST_INSTALMENT = "loans_last_instalment"
    TOO_LATE = "loans_reschedule_too_late"
    NEW_DUE_NOT_LATER = "loans_reschedule_not_later"
    PAST_NEXT_INSTALMENT = "loans_reschedule_past_next"
    SAME_SESSION = "loans_reschedule_same_session"
    AMOUNT = "loans_reschedule_amount"
    REASON_REQUIRED = "loans_change_reason_required"
    NOT_EXTENDABLE = "loans_not_extendable"
    AFTER_MATURITY = "loans_extension_after_maturity"
    EXTENSION_MONTHS = "loans_extension_months"
    EXTENSION_TOO_LONG = "loans_extension_too_long"
    LOSS_PERCENT = "loans_risk_loss_percent"
    OCCURRED_IN_FUTURE = "loans_risk_occurred_in_future"
    TREATMENT_NOT_ALLOWED = "loans_risk_treatment_not_allowed"
    FREEZE_MONTHS = "loans_risk_freeze_months"
    FREEZE_TOO_LONG = "loans_risk_freeze_too_long"
    LOAN_NOT_HANDLED = "loans_risk_loan_status"
    LOAN_OTHER_OFFICE = "loans_risk_loan_other_office"
    DOSSIER_TWICE = "loans_risk_dossier_twice"
    BATCH_NOT_DRAFT = "loans_risk_batch_not_draft"
    BATCH_EMPTY = "loans_risk_batch_empty"
    EVIDENCE_MISSING = "loans_risk_evidence_missing"
    EVIDENCE_TOO_LARGE = "loans_risk_evidence_too_large"
    EVIDENCE_TYPE = "loans_risk_evidence_type"
    NAME_REQUIRED = "loans_risk_batch_name_required"
    TEXT_TOO_LONG = "loans_change_text_too_long"
