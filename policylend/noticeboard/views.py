"""The public pages: a transaction point's notice board (no login; readable on a phone, printable
on A4 or A3 with a QR code leading back to the live page) and the household's own check of its
loans by contract number and check code (rate limited; a wrong number and a wrong code get the
same answer)."""

from __future__ import annotations

import segno
from django import forms
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import selectors

CHECK_TRIES = 5
CHECK_WINDOW_SECONDS = 15 * 60
PAPERS = ("a4", "a3")


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=url)


@never_cache
def point_board(request, code: str):
    board = selectors.point_board(code, now=timezone.localtime())
    url = request.build_absolute_uri(reverse("noticeboard:point_board", args=[board.point.code]))
    paper = request.GET.get("paper", "a4")
    return render(
        request,
        "noticeboard/board.html",
        {
            "board": board,
            "live_url": url,
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 — segno's own SVG, the URL is escaped
            "paper": paper if paper in PAPERS else "a4",
        },
    )


class CheckForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Contract number"), max_length=20)
    code = forms.CharField(
        label=gettext_lazy("Check code (on your contract)"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_allowed(request) -> bool:
    """Count one try for the caller's address; False from the sixth try in 15 minutes."""
    key = f"noticeboard:check:{_client_address(request)}"
    cache.add(key, 0, CHECK_WINDOW_SECONDS)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, CHECK_WINDOW_SECONDS)
        tries = 1
    return tries <= CHECK_TRIES


@never_cache
def loan_check(request):
    form = CheckForm(request.POST or None)
    context = {"form": form, "loans": None, "refused": "", "tries": CHECK_TRIES}
    status = 200
    if request.method == "POST":
        if not check_allowed(request):
            context["refused"] = _(
                "Too many tries. Wait 15 minutes, or ask your group leader or the hotline."
            )
            status = 429
        elif form.is_valid():
            loans = selectors.household_loans_checked(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
            if loans is None:
                context["refused"] = _(
                    "The contract number and the check code do not match any loan. Check both "
                    "against your contract."
                )
            else:
                context["loans"] = loans
    context["hotline"] = selectors.hotline()
    return render(request, "noticeboard/check.html", context, status=status)
