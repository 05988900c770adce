"""The tables the page, the CSV and the JSON read from one Canon (figures.py): rows of periods, waits,
categories, feedback and languages, every cell a Figure suppressed as the Canon says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext

from helpline.chat import texts
from helpline.stats import tallies
from helpline.stats.figures import (
    ALL,
    CATEGORY_SOURCES,
    LANGUAGE_TABLE_KEYS,
    MEASURE_KEYS,
    UNRECORDED,
    Canon,
    Figure,
    Period,
    language_name,
    period_label,
    share,
)


@dataclass(frozen=True)
class PeriodRow:
    label: str
    period: Period
    figures: tuple[Figure, ...]  # in the order of MEASURES
    answered_share: str
    in_target_share: str

    @property
    def first(self) -> date:
        return self.period.first

    @property
    def last(self) -> date:
        return self.period.last

    def get(self, key: str) -> Figure:
        return self.figures[MEASURE_KEYS.index(key)]


def period_row(canon: Canon, language: str, period: Period, label: str | None = None) -> PeriodRow:
    figures = tuple(canon.figure(language, period, key) for key in MEASURE_KEYS)
    by_key = dict(zip(MEASURE_KEYS, figures, strict=True))
    in_target, late = by_key["secure_in_target"], by_key["secure_late"]
    replies = Figure(in_target.value + late.value, canon.threshold, in_target.hidden or late.hidden)
    return PeriodRow(
        label=period_label(period) if label is None else label,
        period=period,
        figures=figures,
        answered_share=share(by_key["answered"], by_key["started"]),
        in_target_share=share(in_target, replies) if not replies.hidden else "",
    )


def period_rows(canon: Canon, grouping: str, language: str) -> list[PeriodRow]:
    """The rows of one grouping, the oldest first."""
    return [period_row(canon, language, period) for period in canon.views[grouping]]


@dataclass(frozen=True)
class WaitRow:
    label: str | Promise
    answered: Figure
    missed: Figure


def wait_rows(canon: Canon, language: str, range_: Period) -> list[WaitRow]:
    return [
        WaitRow(
            tallies.WAIT_BUCKET_LABELS[bucket],
            canon.figure(language, range_, tallies.wait_answered(bucket)),
            canon.figure(language, range_, tallies.wait_missed(bucket)),
        )
        for bucket, _upper in tallies.WAIT_BUCKETS
    ]


@dataclass(frozen=True)
class CategoryTable:
    title: str | Promise
    prefix: str
    rows: tuple[tuple[str, Figure], ...]


def category_tables(canon: Canon, language: str, range_: Period) -> list[CategoryTable]:
    return [
        CategoryTable(
            title,
            prefix,
            tuple(
                (str(label), canon.figure(language, range_, f"{prefix}.{value}")) for value, label in choices
            ),
        )
        for title, prefix, choices in CATEGORY_SOURCES
    ]


@dataclass(frozen=True)
class FeedbackRow:
    question: str
    answers: tuple[Figure, ...]  # in the order of texts.FEEDBACK_ANSWERS


@dataclass(frozen=True)
class FeedbackTable:
    forms: Figure
    answers: tuple[str, ...]
    rows: tuple[FeedbackRow, ...]


def feedback_table(canon: Canon, language: str, range_: Period) -> FeedbackTable:
    """The three optional questions at the end of a chat. Each answer is its own daily count
    (tallies.seeker_feedback), so nothing here can be put back together into one person's form."""
    return FeedbackTable(
        forms=canon.figure(language, range_, "feedback_forms"),
        answers=tuple(str(label) for _value, label in texts.FEEDBACK_ANSWERS),
        rows=tuple(
            FeedbackRow(
                str(question),
                tuple(
                    canon.figure(language, range_, tallies.feedback_answer(key, value))
                    for value, _label in texts.FEEDBACK_ANSWERS
                ),
            )
            for key, question in texts.FEEDBACK_QUESTIONS
        ),
    )


@dataclass(frozen=True)
class LanguageRow:
    code: str
    label: str
    figures: tuple[Figure, ...]  # in the order of LANGUAGE_TABLE_KEYS
    answered_share: str


def language_rows(canon: Canon, range_: Period) -> list[LanguageRow]:
    """One row per language offered, one for contacts of no recorded language, and all languages."""
    rows = []
    for code in canon.all_languages:
        if code == ALL:
            continue
        label = language_name(code) if code != UNRECORDED else gettext("Language not recorded")
        rows.append(_language_row(canon, range_, code, label))
    rows.append(_language_row(canon, range_, ALL, gettext("All languages")))
    return rows


def _language_row(canon: Canon, range_: Period, code: str, label: str) -> LanguageRow:
    figures = tuple(canon.figure(code, range_, key) for key in LANGUAGE_TABLE_KEYS)
    by_key = dict(zip(LANGUAGE_TABLE_KEYS, figures, strict=True))
    return LanguageRow(code, label, figures, share(by_key["answered"], by_key["started"]))
