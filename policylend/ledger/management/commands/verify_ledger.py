"""``manage.py verify_ledger [--branch CODE]``: check every invariant of the books; list what is
wrong and exit non-zero, or say how much was verified."""

from django.core.management.base import BaseCommand, CommandError

from policylend.ledger.verification import verify_ledger
from policylend.organisation.models import OrganisationUnit, UnitKind


class Command(BaseCommand):
    help = (
        "Verify the books: balanced entries, immutable lines, mirrored reversals, month-end "
        "snapshots equal to their lines, no posting into a closed month, kept balances."
    )

    def add_arguments(self, parser):
        parser.add_argument("--branch", help="Only this branch (its code, e.g. 740).")

    def handle(self, *args, branch=None, **options):
        branch_id = None
        if branch:
            unit = OrganisationUnit.objects.filter(
                kind=UnitKind.BRANCH, code=branch.strip()
            ).first()
            if unit is None:
                raise CommandError(f"There is no branch with the code {branch}.")
            branch_id = unit.pk
        result = verify_ledger(branch_id)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"ledger NOT verified: {len(result.problems)} problem(s) in {result.entries} entries, "
                f"{result.lines} lines, {result.snapshots} snapshots"
            )
        self.stdout.write(
            f"ledger verified: {result.entries} entries, {result.lines} lines, {result.snapshots} snapshots"
        )
