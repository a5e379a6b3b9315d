from django.db.models import QuerySet

from policylend.core.errors import NotFound
from policylend.users import access

from . import registry
from .models import ApprovalRequest, ApprovalStatus


def approval_request_list(
    viewer, *, status: str | None = None, kind: str | None = None
) -> QuerySet:
    qs = ApprovalRequest.objects.filter(access.unit_q(viewer, "unit")).select_related(
        "unit", "maker", "checker"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def approval_requests_to_check(viewer) -> QuerySet:
    """Pending requests in the viewer's scope that the viewer may decide (not their own)."""
    kinds = [k.code for k in registry.all_kinds() if access.can(viewer, k.checker_capability)]
    return (
        approval_request_list(viewer, status=ApprovalStatus.PENDING)
        .filter(kind__in=kinds)
        .exclude(maker=viewer)
    )


def approval_request_get(viewer, request_id: int) -> ApprovalRequest:
    request = approval_request_list(viewer).filter(pk=request_id).first()
    if request is None:
        raise NotFound("not_found", "")
    return request
