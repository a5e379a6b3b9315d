"""One page size policy for every list: 50 rows by default, at most 200."""

from django.core.paginator import Paginator

PAGE_SIZE = 50
PAGE_SIZE_MAX = 200


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    try:
        size = min(max(int(request.GET.get("size", per_page)), 1), PAGE_SIZE_MAX)
    except ValueError:
        size = per_page
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))
