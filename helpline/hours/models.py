"""When the chat is open: weekly hours per language, holidays and one-off closures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """One weekly opening of live chat in one language, in the service's time zone (TIME_ZONE).

    With no weekly hours at all, live chat is treated as always open. Once any are set, a language
    without hours of its own offers no live chat (secure messages are always open)."""

    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(help_text="Local time, e.g. 09:00.")
    closes_at = models.TimeField(
        help_text="Local time. A time earlier than the opening time means the next morning "
        "(20:00 to 02:00); 00:00 to 00:00 is the whole day."
    )

    class Meta:
        ordering = ["language", "weekday", "opens_at"]
        verbose_name = "weekly opening hours"
        verbose_name_plural = "weekly opening hours"

    def __str__(self) -> str:
        return (
            f"{self.get_language_display()}: {self.get_weekday_display()} "
            f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
        )


class Holiday(models.Model):
    """A whole local day with no live chat. Also not a working day for secure-message reply targets."""

    date = models.DateField()
    name = models.CharField(max_length=80, help_text="For staff, e.g. “New Year's Day”.")
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="Leave blank for every language."
    )

    class Meta:
        ordering = ["date", "language"]
        constraints = [models.UniqueConstraint(fields=["date", "language"], name="holiday_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%Y-%m-%d})"


class ServiceClosure(models.Model):
    """A one-off closure of live chat (training, an emergency): from one instant to another."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, help_text="For staff only; seekers see just the opening times.")
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="Leave blank for every language."
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The closure must end after it starts."})
