from enum import StrEnum


class OrganisationErrorCode(StrEnum):
    CODE_FORMAT = "organisation_code_format"
    CODE_TAKEN = "organisation_code_taken"
    NAME_REQUIRED = "organisation_name_required"
    PARENT_KIND = "organisation_parent_kind"
    PARENT_INACTIVE = "organisation_parent_inactive"
    UNIT_INACTIVE = "organisation_unit_inactive"
    NOT_A_COMMUNE = "organisation_not_a_commune"
    MERGE_SELF = "organisation_merge_self"
    MERGE_OTHER_BRANCH = "organisation_merge_other_branch"
    MOVE_TO_SELF = "organisation_move_to_self"
    MOVE_SAME_PARENT = "organisation_move_same_parent"
    DATE_BEFORE_HISTORY = "organisation_date_before_history"
    SESSION_DAY_RANGE = "organisation_session_day_range"
    POINT_CODE_FORMAT = "organisation_point_code_format"
    POINT_EXISTS = "organisation_point_exists"
