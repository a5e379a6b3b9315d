from ninja import Router, Schema

router = Router(tags=["users"])


class Me(Schema):
    id: int
    username: str
    full_name: str
    role: str
    scope_unit_id: int | None
    scope_association_id: int | None


@router.get("/me", response=Me, summary="The user this token or session belongs to")
def me(request):
    return request.user
