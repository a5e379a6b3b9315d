import pytest

from conftest import TODAY


@pytest.fixture
def clerk(org, make_user):
    return make_user("branch_staff", org.branch)


@pytest.fixture
def post(org, clerk):
    """Post a simple entry: Dr cash at point / Cr cash at office, in office A by default."""
    from policylend.ledger.rules import credit, debit
    from policylend.ledger.services import journal_entry_post

    counter = {"n": 0}

    def _post(
        amount=1_000_000,
        value_date=None,
        office=None,
        key=None,
        debit_account="1011",
        credit_account="1012",
        memo="Cash to the point",
        today=TODAY,
        **refs,
    ):
        counter["n"] += 1
        office_id = (office or org.office_a).pk
        return journal_entry_post(
            branch=org.branch,
            value_date=value_date or today,
            kind="cash_transfer",
            memo=memo,
            lines=[
                debit(debit_account, amount, office_id=office_id, **refs),
                credit(credit_account, amount, office_id=office_id, **refs),
            ],
            idempotency_key=key or f"test-{counter['n']}",
            maker=clerk,
            today=today,
        )

    return _post
