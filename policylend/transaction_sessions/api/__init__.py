from ninja import Router

from . import calendar, sessions, sheets

router = Router(tags=["sessions"])
router.add_router("", calendar.router)
router.add_router("", sheets.router)
router.add_router("", sessions.router)

__all__ = ["router"]
