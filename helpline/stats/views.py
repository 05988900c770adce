"""The statistics page for supervisors and admins: who we answered and who we missed, by day, week or
month, for all languages or one, with charts drawn here as SVG; and the same cells as a spreadsheet
(CSV) and as the pooling format (JSON, docs/pooling.md). Counts only; small counts and the cells that
would give them away are suppressed (figures.py), the same way in all three."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

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

from helpline.campaigns.figures import campaign_figures
from helpline.models import StaffProfile
from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff.access import forbidden
from helpline.staff.two_factor import is_verified
from helpline.stats import charts, figures, tables

POOLING_FORMAT = "open-door-figures"
POOLING_VERSION = "1.0"
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


@dataclass(frozen=True)
class Choice:
    """What the reader asked for: the last day, the grouping and the language ("" for all)."""

    until: date
    today: date
    grouping: str
    language: str
    note: str

    def query(self, **changes: str) -> str:
        wanted = {"until": self.until.isoformat(), "by": self.grouping, "language": self.language}
        wanted.update(changes)
        return "?" + urlencode({key: value for key, value in wanted.items() if value})


def chosen(request: HttpRequest) -> Choice:
    today = timezone.localdate()
    until, note = chosen_last_day(request.GET.get("until"), today)
    grouping = request.GET.get("by", "day")
    language = request.GET.get("language", "")
    return Choice(
        until=until,
        today=today,
        grouping=grouping if grouping in figures.GROUPINGS else "day",
        language=language if language in figures.offered_languages() else figures.ALL,
        note=note,
    )


@require_GET
@stats_access_required
def stats_page(request: HttpRequest) -> HttpResponse:
    choice = chosen(request)
    canon = figures.build_canon(choice.until, choice.today)
    language, grouping = choice.language, choice.grouping
    range_ = canon.ranges[grouping]
    rows = tables.period_rows(canon, grouping, language)
    total_row = tables.period_row(canon, language, range_, label=gettext("All of these"))
    waits = tables.wait_rows(canon, language, range_)
    categories = tables.category_tables(canon, language, range_)
    feedback = tables.feedback_table(canon, language, range_)
    labels = {
        "day": gettext("By day"),
        "week": gettext("By week"),
        "month": gettext("By month"),
    }
    earlier = range_.first - timedelta(days=1)
    later = min(choice.until + (choice.until - range_.first) + timedelta(days=1), choice.today)
    return render(
        request,
        "helpline/stats/stats.html",
        {
            "choice": choice,
            "last": choice.until,
            "first": range_.first,
            "range": range_,
            "note": choice.note,
            "groupings": [
                (key, labels[key], choice.query(by=key), key == grouping) for key in figures.GROUPINGS
            ],
            "language_choices": [
                (
                    code,
                    figures.language_name(code) if code else gettext("All languages"),
                    choice.query(language=code),
                    code == language,
                )
                for code in [figures.ALL, *figures.offered_languages()]
            ],
            "language_label": figures.language_name(language) if language else "",
            "measures": figures.MEASURES,
            "rows": list(reversed(rows)),  # the newest first, as people read a table of recent periods
            "total_row": total_row,
            "summary": [(m.label, f) for m, f in zip(figures.MEASURES, total_row.figures, strict=True)],
            "period_heading": {"day": gettext("Day"), "week": gettext("Week"), "month": gettext("Month")}[
                grouping
            ],
            "waits": waits,
            "volume_chart": charts.bar_chart(
                gettext("Chats started and answered"),
                [gettext("Started"), gettext("Answered")],
                [(chart_label(row.period), (row.get("started"), row.get("answered"))) for row in rows],
            ),
            "missed_chart": charts.bar_chart(
                gettext("Missed contacts"),
                [gettext("Missed")],
                [(chart_label(row.period), (row.get("missed"),)) for row in rows],
            ),
            "wait_chart": charts.bar_chart(
                gettext("How long people waited in the chat queue"),
                [gettext("Answered"), gettext("Left or missed")],
                [((str(row.label),), (row.answered, row.missed)) for row in waits],
            ),
            "outcome_chart": charts.bar_chart(
                categories[0].title,
                [gettext("Chats with this outcome")],
                [(charts.wrapped(label), (value,)) for label, value in categories[0].rows],
            ),
            "feedback_chart": charts.bar_chart(
                gettext("What seekers told us"),
                list(feedback.answers),
                [(charts.wrapped(row.question), row.answers) for row in feedback.rows],
            ),
            "languages": tables.language_rows(canon, range_) if language == figures.ALL else [],
            "language_measures": [m for m in figures.MEASURES if m.key in figures.LANGUAGE_TABLE_KEYS],
            "categories": categories,
            "feedback": feedback,
            # Partners' links over the same range. Their counters are not split by language (a campaign's
            # code says nothing of the visitor's language), so the table stands with all languages only.
            "campaign_table": (
                campaign_figures(range_.first, range_.last) if language == figures.ALL else None
            ),
            "threshold": canon.threshold,
            "earlier": choice.query(until=earlier.isoformat()),
            "later": choice.query(until=later.isoformat()) if choice.until < choice.today else "",
            "latest": choice.query(until=""),
            "csv_url": reverse("staff-stats-csv") + choice.query(),
            "json_url": reverse("staff-stats-json") + choice.query(),
            "retention_hours": settings.HELPLINE["CHAT_RETENTION_HOURS"],
            "supervisor": staff_access.is_supervisor(request.user),
        },
    )


def chart_label(period: figures.Period) -> tuple[str, ...]:
    """Short enough for 28 bars side by side: the day of the month (with its month on the 1st and
    the first bar), the week's Monday, or the month."""
    if period.kind == "day":
        if period.first.day == 1:
            return (date_format(period.first, "j"), date_format(period.first, "M"))
        return (date_format(period.first, "j"),)
    if period.kind == "week":
        return (date_format(period.first, "j"), date_format(period.first, "M"))
    return (date_format(period.first, "M"), date_format(period.first, "Y"))


def export_name(choice: Choice, first: date, suffix: str) -> str:
    language = choice.language or "all"
    return f"figures-{choice.grouping}-{language}-{first.isoformat()}-to-{choice.until.isoformat()}.{suffix}"


@require_GET
@stats_access_required
def stats_csv(request: HttpRequest) -> HttpResponse:
    """The page's table of periods as a spreadsheet: one row per period (the oldest first) and the
    range's total, one column per measure (its stable key), suppressed exactly as on the page: a small
    count is written "<5", a withheld one "x", zero as 0."""
    choice = chosen(request)
    canon = figures.build_canon(choice.until, choice.today)
    range_ = canon.ranges[choice.grouping]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_name(choice, range_.first, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(["row", "first", "last", "complete", *figures.MEASURE_KEYS])
    rows = tables.period_rows(canon, choice.grouping, choice.language)
    rows.append(tables.period_row(canon, choice.language, range_))
    for row in rows:
        kind = "total" if row.period.kind == "range" else choice.grouping
        complete = "yes" if row.period.complete else "no"
        writer.writerow(
            [kind, row.first.isoformat(), row.last.isoformat(), complete, *(f.mark for f in row.figures)]
        )
    return response


def pooled_value(figure: figures.Figure) -> Any:
    """A number, or why there is none (docs/pooling.md): never the hidden value, never 0 or 5 for it."""
    if figure.withheld:
        return {"suppressed": "complementary"}
    if figure.small:
        return {"suppressed": "small"}
    return figure.value


def pooling_document(choice: Choice, canon: figures.Canon) -> dict[str, Any]:
    """The pooling format, version 1.0 (docs/pooling.md): counts and their periods, nothing else."""
    language, range_ = choice.language, canon.ranges[choice.grouping]
    details = figures.detail_names()

    def block(period: figures.Period, code: str, names: tuple[str, ...]) -> dict[str, Any]:
        return {
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
            "complete": period.complete,
            "figures": {name: pooled_value(canon.figure(code, period, name)) for name in names},
        }

    document: dict[str, Any] = {
        "format": POOLING_FORMAT,
        "version": POOLING_VERSION,
        "service": {
            "name": str(getattr(settings, "SERVICE_NAME", "")),
            "country": str(getattr(settings, "SERVICE_COUNTRY", "")),
        },
        "grouping": choice.grouping,
        "language": language or "all",
        "threshold": canon.threshold,
        "range": block(range_, language, (*figures.MEASURE_KEYS, *details)),
        "periods": [block(period, language, figures.MEASURE_KEYS) for period in canon.views[choice.grouping]],
    }
    if language == figures.ALL:
        document["languages"] = {
            ("unrecorded" if code == figures.UNRECORDED else code): block(
                range_, code, figures.LANGUAGE_TABLE_KEYS
            )["figures"]
            for code in canon.all_languages
            if code != figures.ALL
        }
    return document


@require_GET
@stats_access_required
def stats_json(request: HttpRequest) -> HttpResponse:
    """The same cells as the page and the CSV, in the documented pooling format (docs/pooling.md)."""
    choice = chosen(request)
    canon = figures.build_canon(choice.until, choice.today)
    document = pooling_document(choice, canon)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    first = canon.ranges[choice.grouping].first
    response["Content-Disposition"] = f'attachment; filename="{export_name(choice, first, "json")}"'
    return response
