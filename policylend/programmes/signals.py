"""Signals of the programme catalogue.

``terms_version_added`` is sent, inside the approval's database transaction, after a version that
applies to loans already disbursed is saved (social housing 5.4 % from 10/10/2025). Arguments:
``sender=ProgrammeTerms``, ``version`` (the new ProgrammeTerms), ``actor`` (the checker who
approved it) and ``today`` (the bank's date). The loans app reprices its loans from the version's
date; a receiver that fails rolls the approval back.
"""

from django.dispatch import Signal

terms_version_added = Signal()
