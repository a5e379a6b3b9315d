from enum import StrEnum


class ImportErrorCode(StrEnum):
    # the file
    FILE_TOO_LARGE = "import_file_too_large"
    FILE_EMPTY = "import_file_empty"
    FILE_NOT_XLSX = "import_file_not_xlsx"
    FILE_UNREADABLE = "import_file_unreadable"
    SHEET_MISSING = "import_sheet_missing"
    COLUMN_MISSING = "import_column_missing"
    COLUMN_UNKNOWN = "import_column_unknown"
    COLUMN_REPEATED = "import_column_repeated"
    TOO_MANY_ROWS = "import_too_many_rows"
    NOTHING_TO_IMPORT = "import_nothing_to_import"
    # a cell
    REQUIRED = "import_required"
    TEXT_TOO_LONG = "import_text_too_long"
    CODE_FORMAT = "import_code_format"
    DATE_FORMAT = "import_date_format"
    CHOICE = "import_choice"
    LIST_TOO_LONG = "import_list_too_long"
    # a row against the file and the registers
    VILLAGE_UNKNOWN = "import_village_unknown"
    VILLAGE_OUTSIDE_SCOPE = "import_village_outside_scope"
    REPEATED_IN_FILE = "import_repeated_in_file"
    EXISTS_WITH_OTHER_DATA = "import_exists_with_other_data"
    NATIONAL_ID_TAKEN = "import_national_id_taken"
    HOUSEHOLD_REFERENCE = "import_household_reference"
    HOUSEHOLD_CODE_COMMUNE = "import_household_code_commune"
    GROUP_REFERENCE = "import_group_reference"
    ASSOCIATION_UNIT_MISSING = "import_association_unit_missing"
    HOUSEHOLD_IN_TWO_GROUPS = "import_household_in_two_groups"
    HEAD_IN_MEMBERS = "import_head_in_members"
    # the job
    JOB_NOT_READY = "import_job_not_ready"
    JOB_HAS_PROBLEMS = "import_job_has_problems"
    JOB_RUNNING = "import_job_running"
    JOB_DONE = "import_job_done"
    REFUSED_ON_IMPORT = "import_refused_on_import"
