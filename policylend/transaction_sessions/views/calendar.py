"""Pages of the session calendar and the due lists (with their PDF and Excel)."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.excel import Column, xlsx_response
from policylend.core.forms import NOT_DONE, DateInput, submit
from policylend.core.pagination import paginate
from policylend.core.pdf import render_pdf
from policylend.core.periods import Month
from policylend.organisation.selectors import transaction_point_get
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors, services

PASSED_ON = (NotFound, Forbidden)
LANGUAGES = ("vi", "en", "hi")


def bank_today() -> date:
    return timezone.localdate()


def parse_day(text: str | None) -> date | None:
    """``dd/mm/yyyy`` or ``yyyy-mm-dd``; None for empty; DomainError for anything else."""
    text = (text or "").strip()[:10]
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", _("Write the date as dd/mm/yyyy."), "session_date")


# --- the calendar ------------------------------------------------------------------------------


@login_required
def point_calendar(request, point_id: int):
    point, days = selectors.point_calendar(request.user, point_id, Month.of(bank_today()))
    return render(
        request,
        "transaction_sessions/point_calendar.html",
        {
            "point": point,
            "days": days,
            "may_move": access.can(request.user, Capability.MANAGE_SESSION_CALENDAR),
        },
    )


@login_required
def office_calendar(request, office_id: int):
    office, points, months = selectors.office_calendar(
        request.user, office_id, Month.of(bank_today())
    )
    return render(
        request,
        "transaction_sessions/office_calendar.html",
        {"office": office, "points": points, "months": months},
    )


class SessionMoveForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month (mm/yyyy)"), max_length=7)
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=DateInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def clean_month(self):
        try:
            return Month.parse(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(_("Write the month as mm/yyyy.")) from None


@login_required
def session_move_create(request, point_id: int):
    point = transaction_point_get(request.user, point_id)
    access.require(request.user, Capability.MANAGE_SESSION_CALENDAR)
    today = bank_today()
    initial = {"month": str(Month.of(today).next())}
    form = SessionMoveForm(request.POST or None, initial=initial)
    move = submit(
        request,
        form,
        lambda data: services.session_move(
            actor=request.user,
            point=point,
            month=data["month"],
            held_on=data["held_on"],
            reason=data["reason"],
            today=today,
        ),
        passed_on=PASSED_ON,
    )
    if move is not NOT_DONE:
        messages.success(request, _("The session was moved."))
        return redirect("transaction_sessions:point_calendar", point.pk)
    return render(
        request,
        "transaction_sessions/form.html",
        {
            "form": form,
            "title": _("Move a session of %(point)s") % {"point": point},
            "back": ("transaction_sessions:point_calendar", point.pk),
        },
    )


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)


@login_required
def holiday_list(request):
    today = bank_today()
    may_add = access.can(request.user, Capability.MANAGE_PUBLIC_HOLIDAYS)
    form = HolidayForm(request.POST or None) if may_add else None
    if request.method == "POST":
        access.require(request.user, Capability.MANAGE_PUBLIC_HOLIDAYS)
        holiday = submit(
            request,
            form,
            lambda data: services.holiday_add(
                actor=request.user, day=data["date"], name=data["name"]
            ),
        )
        if holiday is not NOT_DONE:
            messages.success(request, _("The public holiday was added."))
            return redirect("transaction_sessions:holiday_list")
    holidays = selectors.holiday_list(date(today.year - 1, 1, 1), date(today.year + 2, 12, 31))
    return render(
        request,
        "transaction_sessions/holiday_list.html",
        {"holidays": holidays, "form": form},
    )


# --- due lists ---------------------------------------------------------------------------------


@login_required
def due_list_index(request):
    groups = selectors.due_list_groups(request.user).order_by("code")
    return render(
        request, "transaction_sessions/due_list_index.html", {"page": paginate(request, groups)}
    )


def due_list_columns() -> list[Column]:
    return [
        Column(_("Household"), lambda line: line.household_code, 14, text=True),
        Column(_("Head of household"), lambda line: line.head_name, 28),
        Column(_("Loans"), lambda line: ", ".join(line.loan_numbers), 30, text=True),
        Column(_("Interest due"), lambda line: line.interest_due),
        Column(_("Instalment due"), lambda line: line.instalment_due),
        Column(_("Principal overdue"), lambda line: line.principal_overdue),
        Column(_("Interest overdue"), lambda line: line.interest_overdue),
        Column(_("Savings expected"), lambda line: line.savings_expected),
        Column(_("Total"), lambda line: line.total),
    ]


@login_required
def due_list_page(request, group_id: int):
    group = selectors.due_list_group_get(request.user, group_id)
    try:
        session_date = parse_day(request.GET.get("session_date"))
        result = selectors.due_list(request.user, group, session_date, today=bank_today())
    except PASSED_ON:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("transaction_sessions:due_list", group.pk)
    stem = f"{group.code}-{result.session_date:%Y%m%d}"
    output = request.GET.get("format")
    if output == "pdf":
        language = request.GET.get("lang")
        if language not in LANGUAGES:
            language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "vi"
        content = render_pdf(
            "transaction_sessions/pdf_due_list.html",
            {"due": result, "printed_on": bank_today()},
            language,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="due-list-{stem}.pdf"'
        return response
    if output == "xlsx":
        totals = selectors.DueLine(0, "", _("Total"))
        for name, amount in result.totals.items():
            if name != "total":
                setattr(totals, name, amount)
        return xlsx_response(
            f"due-list-{stem}.xlsx",
            _("Due list"),
            due_list_columns(),
            [*result.lines, totals],
        )
    point = result.point
    upcoming = [
        day.held_on for day in selectors.point_calendar_days(point, Month.of(bank_today()), 3)
    ]
    return render(
        request,
        "transaction_sessions/due_list.html",
        {"due": result, "upcoming": upcoming, "languages": LANGUAGES},
    )


urlpatterns = [
    path("points/<int:point_id>/", point_calendar, name="point_calendar"),
    path("points/<int:point_id>/move/", session_move_create, name="session_move"),
    path("offices/<int:office_id>/", office_calendar, name="office_calendar"),
    path("holidays/", holiday_list, name="holiday_list"),
    path("due-lists/", due_list_index, name="due_list_index"),
    path("due-lists/<int:group_id>/", due_list_page, name="due_list"),
]
