"""The self-help library: categories, resources (articles), guided modules, and their revisions.

Resources and modules share one publishing workflow (draft → in review → published → unpublished).
The public sees an item only when it is published *and* its publish_at time has come; everything
about changing status lives in resources.actions, which records a Revision for each change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone

from resources.fulltext import document_expression
from resources.markup import reading_minutes, render_markdown


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class PublishableQuerySet(models.QuerySet[Any]):
    def published(self, now: datetime.datetime | None = None) -> PublishableQuerySet:
        """What the public may see: published, and its publish_at time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now: datetime.datetime | None = None) -> PublishableQuerySet:
        """Approved for publishing at a time still in the future."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now or timezone.now())


class Publishable(models.Model):
    """Fields and rules shared by everything that goes through the publishing workflow."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The last part of the page's address.")
    summary = models.TextField(max_length=600, help_text="One or two sentences shown in lists and search.")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it becomes visible once published. Leave empty to publish as soon as it is approved.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # PostgreSQL only (GIN-indexed there by a migration); stays empty on SQLite, which searches plainly.
    search_document = SearchVectorField(null=True, editable=False)
    revisions = GenericRelation("resources.Revision")

    objects = PublishableQuerySet.as_manager()

    # The fields a revision snapshots, and whose change counts as an edit of the text.
    TEXT_FIELDS: tuple[str, ...] = ("title", "slug", "summary", "language", "publish_at")
    # Searched, most important first (weights A, B, C).
    SEARCH_FIELDS: tuple[str, str, str]
    PUBLISH_PERMISSION = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {*self.SEARCH_FIELDS, "language"} & set(update_fields):
            self.refresh_search_document()

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def refresh_search_document(self) -> None:
        if connections[self._state.db or "default"].vendor == "postgresql":
            type(self).objects.filter(pk=self.pk).update(
                search_document=document_expression(*self.SEARCH_FIELDS)
            )

    def is_public(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    def is_scheduled(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > (now or timezone.now())
        )

    def snapshot(self) -> dict[str, Any]:
        """The text of this item as it is now, for the revision history."""
        values: dict[str, Any] = {}
        for name in self.TEXT_FIELDS:
            value = getattr(self, name)
            values[name] = value.isoformat() if isinstance(value, datetime.datetime) else value
        return values

    def get_preview_url(self) -> str:
        raise NotImplementedError


class Category(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category", args=[self.slug])


class Resource(Publishable):
    """A self-help article."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="resources")
    body = models.TextField(help_text="Markdown. HTML is shown as text; images only from this site.")
    body_html = models.TextField(editable=False, default="")
    reading_time = models.PositiveSmallIntegerField(editable=False, default=1, help_text="Minutes.")
    related = models.ManyToManyField("self", blank=True, help_text="Shown as further reading.")
    hard_content = models.BooleanField(
        "hard to read",
        default=False,
        help_text="Shows a warning before the text that some readers may find it difficult.",
    )
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")

    TEXT_FIELDS = (*Publishable.TEXT_FIELDS, "body", "category", "hard_content", "featured")
    SEARCH_FIELDS = ("title", "summary", "body")
    PUBLISH_PERMISSION = "resources.publish_resource"

    class Meta:
        ordering = ["title"]
        permissions = [("publish_resource", "Can publish and unpublish resources")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_markdown(self.body)
        self.reading_time = reading_minutes(self.title, self.summary, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "reading_time"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resource-detail", args=[self.slug])

    def snapshot(self) -> dict[str, Any]:
        values = super().snapshot()
        values["category"] = self.category.name if self.category_id else None
        return values

    def get_preview_url(self) -> str:
        return reverse("resource-preview", args=[self.pk])


class GuidedModule(Publishable):
    """A guided self-help module: ordered steps of reading, each with exercises."""

    objectives = models.TextField(help_text="Markdown: what someone will get from the module.")
    objectives_html = models.TextField(editable=False, default="")

    TEXT_FIELDS = (*Publishable.TEXT_FIELDS, "objectives")
    SEARCH_FIELDS = ("title", "summary", "objectives")
    PUBLISH_PERMISSION = "resources.publish_guidedmodule"

    class Meta:
        ordering = ["title"]
        permissions = [("publish_guidedmodule", "Can publish and unpublish guided modules")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.objectives_html = render_markdown(self.objectives, first_heading=3)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "objectives" in update_fields:
            kwargs["update_fields"] = {*update_fields, "objectives_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("module-detail", args=[self.slug])

    def snapshot(self) -> dict[str, Any]:
        values = super().snapshot()
        values["steps"] = [
            {
                "title": step.title,
                "body": step.body,
                "exercises": [
                    {"kind": exercise.kind, "prompt": exercise.prompt} for exercise in step.exercises.all()
                ],
            }
            for step in self.steps.prefetch_related("exercises")
        ]
        return values

    @property
    def reading_time(self) -> int:
        texts = [self.objectives]
        for step in self.steps.all():
            texts.append(step.body)
            texts.extend(exercise.prompt for exercise in step.exercises.all())
        return reading_minutes(*texts)

    def get_preview_url(self) -> str:
        return reverse("module-preview", args=[self.pk])


class ModuleStep(models.Model):
    module = models.ForeignKey(GuidedModule, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown reading for this step.")
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["module", "order", "id"]

    def __str__(self) -> str:
        return f"{self.module.title}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_markdown(self.body, first_heading=3)  # under the step's own <h2>
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)


class Exercise(models.Model):
    class Kind(models.TextChoices):
        REFLECTION = "reflection", "Reflection question"
        RATING = "rating", "Self-rating scale"
        PLAN = "plan", "A plan the person writes"

    step = models.ForeignKey(ModuleStep, on_delete=models.CASCADE, related_name="exercises")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REFLECTION)
    prompt = models.TextField()
    help_text = models.TextField(blank=True, help_text="Optional guidance shown under the prompt.")
    scale_min = models.SmallIntegerField(default=0, help_text="Self-rating only.")
    scale_max = models.SmallIntegerField(default=10, help_text="Self-rating only.")
    min_label = models.CharField(max_length=80, blank=True, help_text="Self-rating only, e.g. 'Not at all'.")
    max_label = models.CharField(max_length=80, blank=True, help_text="Self-rating only, e.g. 'Completely'.")

    class Meta:
        ordering = ["step", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min"))
                & models.Q(scale_max__lte=models.F("scale_min") + 10),
                name="exercise_scale_has_two_to_eleven_points",
            )
        ]

    def __str__(self) -> str:
        return self.prompt[:60]

    @property
    def answer_key(self) -> str:
        """How the browser names this exercise's answer in its own storage (never sent to us)."""
        return f"exercise-{self.pk}"

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class Revision(models.Model):
    """Who changed which content, when, into what."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        RETURNED = "returned", "Returned to draft"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    # Kept when a staff account is later removed, so the history still says who it was.
    user_name = models.CharField(max_length=150)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    status = models.CharField(max_length=16, choices=Status.choices, help_text="Status after the change.")
    changed_fields = models.JSONField(default=list, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.user_name} at {self.created:%Y-%m-%d %H:%M}"


class SearchSynonym(models.Model):
    """Words a seeker may type, and the words the library itself uses for the same thing.

    A search for any of `terms` also looks for each of `also_means` ("my husband" also looks for
    "partner"). It works one way only, so "partner" does not bring up every page about husbands;
    editors add the other direction as its own row when they want it. Read by resources.search on
    every search, so a change here shows in results at once.
    """

    MAX_PHRASES = 20
    MAX_WORDS = 8

    terms = models.CharField(
        "when someone searches for",
        max_length=300,
        help_text="Words or phrases people might type, separated by commas, e.g. “paedophile, pedophile”. "
        "Other forms of a word are found too (“urge” also finds “urges”).",
    )
    also_means = models.CharField(
        "also search for",
        max_length=300,
        help_text="The words our pages use for the same thing, separated by commas, e.g. “attracted to "
        "children, sexual thoughts about children”. Shown to the person as “Also showing results for”, "
        "so write them in the plain, kind language of the site.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = "search synonym"

    def __str__(self) -> str:
        return f"{self.terms} → {self.also_means}"

    @staticmethod
    def phrases(text: str) -> list[str]:
        """The comma-separated words or phrases in one of the fields, tidied."""
        return [" ".join(part.split()) for part in text.replace("\n", ",").split(",") if part.strip()]

    def clean(self) -> None:
        errors = {}
        for name in ("terms", "also_means"):
            phrases = [p for p in self.phrases(getattr(self, name)) if any(c.isalnum() for c in p)]
            if not phrases:
                errors[name] = "Write at least one word or phrase. Separate several with commas."
            elif len(phrases) > self.MAX_PHRASES:
                errors[name] = f"Use at most {self.MAX_PHRASES} words or phrases here."
            elif any(len(p.split()) > self.MAX_WORDS for p in phrases):
                errors[name] = f"Keep each phrase to {self.MAX_WORDS} words or fewer."
        if errors:
            raise ValidationError(errors)
