"""The loans' maker–checker request kinds, registered when the app is ready."""

from . import changes, decision, reversal  # noqa: F401
