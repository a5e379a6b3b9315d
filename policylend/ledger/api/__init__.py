"""The ledger over the API (mounted at /api/v1/ledger): reads of the books in the caller's scope,
and proposals (a manual voucher, a reversal, a month's close) that go through maker-checker."""

from . import proposals, reads  # noqa: F401 (they add their operations to the router)
from .router import router

__all__ = ["router"]
