"""The kinds of exercise the translated module uses, short so that the data reads like the English."""

from __future__ import annotations

from resources.models import Exercise

RATING = Exercise.Kind.RATING
REFLECTION = Exercise.Kind.REFLECTION
PLAN = Exercise.Kind.PLAN
