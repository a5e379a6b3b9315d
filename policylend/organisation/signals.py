"""Signals other apps listen to when the organisation tree changes, to move their open business
(groups, loans, sessions) to the new unit inside the same database transaction."""

from django.dispatch import Signal

# sender=OrganisationUnit, source=<unit merged away>, target=<unit it merged into>,
# effective_on=<date>, actor=<user>
unit_merged = Signal()

# sender=OrganisationUnit, unit=<moved unit>, old_parent=..., new_parent=..., effective_on, actor
unit_moved = Signal()
