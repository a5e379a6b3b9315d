from ninja import Router

# One router for the whole ledger API: operations on one path (GET and POST /entries) must sit on
# the same router, or Django answers the second method with 405.
router = Router(tags=["ledger"])
