from ninja import Router

from . import calendar

router = Router(tags=["sessions"])
router.add_router("", calendar.router)

__all__ = ["router"]
