"""Constants of the check."""

LOOKUP_BATCH = 2_000
ROW_NUMBER_DIGITS_MAX = 6  # a reference shorter than this is a row number, a code is 10 digits

# households.rules names its fields after the service's arguments; the workbook after its columns.
HOUSEHOLD_FIELDS = {
    "code": "customer_code",
    "head.full_name": "head_name",
    "head.sex": "sex",
    "head.birth_date": "birth_date",
    "head.national_id": "national_id",
    "head.relationship": "head_name",
}
GROUP_FIELDS = {
    "code": "group_code",
    "approval_decision": "decision_number",
    "approval_decision_on": "decision_date",
    "households": "members",
    "household": "members",
    "village": "village_code",
    "association_unit": "association_code",
    "group": "group_code",
}
