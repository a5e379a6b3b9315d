"""The loans API: one router per part of a loan's life, mounted together at /api/v1/loans."""

from ninja import Router

from . import changes, origination, servicing

router = Router(tags=["loans"])
for _part in (origination, servicing, changes):
    router.add_router("", _part.router)
