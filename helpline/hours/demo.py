"""Demo opening hours for the embedded site."""

from __future__ import annotations

from datetime import time

from django.conf import settings

from helpline.models import OpeningHours

DEMO_OPENS = time(8, 0)
DEMO_CLOSES = time(23, 0)


def load_demo_hours() -> list[str]:
    """Live chat in every language every day 08:00-23:00, long enough that the demo is usually open;
    outside those hours the chat page shows the closed state and the secure-message route. Left alone
    once an admin has set any hours."""
    if settings.PRODUCTION or OpeningHours.objects.exists():
        return []
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(language=language, weekday=day, opens_at=DEMO_OPENS, closes_at=DEMO_CLOSES)
            for language, _name in settings.LANGUAGES
            for day in range(7)
        ]
    )
    return [
        f"Demo opening hours: live chat in every language every day {DEMO_OPENS:%H:%M}-{DEMO_CLOSES:%H:%M} "
        f"({settings.TIME_ZONE} time); change them under Helpline > Weekly opening hours in the admin."
    ]
