"""The statistics page for supervisors and admins: who we answered and who we missed, by day and by
week, with charts drawn here as SVG. Counts only; every small count is shown as "fewer than N"."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpline.models import StaffProfile
from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff.access import forbidden
from helpline.staff.two_factor import is_verified
from helpline.stats import charts, figures, tallies

DAYS_SHOWN = 14
WEEKS_SHOWN = 8
CHART_DAYS = 28
EARLIEST_DAY = date(2000, 1, 1)  # long before any helpline ran this software


def may_read_stats(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or staff_access.is_supervisor(user)))


def stats_access_required(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Supervisors and admins (superusers), signed in with their second factor. Anonymous: to sign
    in. Anyone else signed in: 403."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read_stats(request):
            return forbidden(request)
        if not is_verified(request):
            return redirect(reverse("two-factor") + "?next=" + request.get_full_path())
        profile = StaffProfile.objects.filter(user=request.user).first()
        if profile is not None:
            # A supervisor reading the figures is still at work: the page shell keeps them present.
            request.profile = profile  # type: ignore[attr-defined]
            request.supervisor = staff_access.is_supervisor(request.user)  # type: ignore[attr-defined]
            staff_actions.check_in_staff(profile)
        return view(request)

    return never_cache(wrapper)


def chosen_last_day(value: str | None, today: date) -> tuple[date, str]:
    """The last day shown (?until=YYYY-MM-DD), and a note if what was asked for could not be used."""
    if not value:
        return today, ""
    try:
        asked = date.fromisoformat(value)
    except ValueError:
        return today, gettext(
            "“%(value)s” is not a date like 2026-11-23, so the figures up to today are shown."
        ) % {"value": value[:20]}
    if asked > today:
        return today, gettext(
            "There are no figures for days still to come, so the figures up to today are shown."
        )
    if asked < EARLIEST_DAY:  # the weeks before 0001-01-01 cannot be counted back to (a 500)
        return today, gettext(
            "There are no figures from that long ago, so the figures up to today are shown."
        )
    return asked, ""


@require_GET
@stats_access_required
def stats_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    last, note = chosen_last_day(request.GET.get("until"), today)
    first_needed = min(
        last - timedelta(days=CHART_DAYS - 1),
        last - timedelta(days=last.weekday()) - timedelta(weeks=WEEKS_SHOWN - 1),
    )
    counts = figures.load_counts(first_needed, last)
    chart_days = [last - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    period = figures.summed(counts, chart_days)
    waits = figures.wait_rows(period)
    recent_days = chart_days[-DAYS_SHOWN:]
    wait_chart = charts.bar_chart(
        gettext("How long people waited in the chat queue"),
        [gettext("Answered"), gettext("Left or missed")],
        [((str(row.label),), (row.answered, row.missed)) for row in waits],
    )
    missed_chart = charts.bar_chart(
        gettext("Missed contacts per day"),
        [gettext("Missed")],
        [
            (
                (date_format(day, "D"), date_format(day, "j M")),
                (figures.figure(figures.total(counts.get(day, {}), figures.MISSED_NAMES)),),
            )
            for day in recent_days
        ],
    )
    period_row = figures.period_row("", chart_days[0], last, counts)
    return render(
        request,
        "helpline/stats/stats.html",
        {
            "last": last,
            "first_chart_day": chart_days[0],
            "chart_days_count": CHART_DAYS,
            "note": note,
            "measures": figures.MEASURES,
            "days": figures.day_rows(last, DAYS_SHOWN, counts),
            "weeks": figures.week_rows(last, WEEKS_SHOWN, counts),
            "period": period_row,
            "summary": [(m.label, f) for m, f in zip(figures.MEASURES, period_row.figures, strict=True)],
            "waits": waits,
            "wait_chart": wait_chart,
            "missed_chart": missed_chart,
            "categories": figures.category_tables(period),
            "feedback": figures.feedback_table(period),
            "threshold": figures.small_count(),
            "earlier": (last - timedelta(days=DAYS_SHOWN)).isoformat(),
            "later": min(last + timedelta(days=DAYS_SHOWN), today).isoformat() if last < today else "",
            "retention_hours": settings.HELPLINE["CHAT_RETENTION_HOURS"],
            "wait_buckets": tallies.WAIT_BUCKET_LABELS,
            "supervisor": staff_access.is_supervisor(request.user),
        },
    )


@require_GET
@stats_access_required
def stats_csv(request: HttpRequest) -> HttpResponse:
    """The charts' days as a spreadsheet: one row per day, one column per measure (its stable key),
    suppressed exactly as on the page: a count from 1 to the threshold is written "<5", never its value."""
    last, _note = chosen_last_day(request.GET.get("until"), timezone.localdate())
    first = last - timedelta(days=CHART_DAYS - 1)
    counts = figures.load_counts(first, last)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="figures-{first.isoformat()}-to-{last.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["day", *(measure.key for measure in figures.MEASURES)])
    for row in reversed(figures.day_rows(last, CHART_DAYS, counts)):
        writer.writerow([row.first.isoformat(), *(csv_cell(figure) for figure in row.figures)])
    return response


def csv_cell(figure: figures.Figure) -> str:
    return f"<{figure.threshold}" if figure.hidden else str(figure.value)
