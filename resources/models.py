"""The self-help library: categories, resources (articles), guided modules, and their revisions.

Resources and modules share one publishing workflow (draft → in review → published → unpublished).
The public sees an item only when it is published *and* its publish_at time has come; everything
about changing status lives in resources.actions, which records a Revision for each change.
The search synonyms, which only search reads, are in resources.search_synonyms.
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
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from resources.fulltext import document_expression
from resources.markup import reading_minutes, render_markdown

# Imported here so that Django, which reads an app's models from resources.models, knows it too.
from resources.search_synonyms import SearchSynonym as SearchSynonym


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    IN_REVIEW = "in_review", gettext_lazy("In review")
    PUBLISHED = "published", gettext_lazy("Published")
    UNPUBLISHED = "unpublished", gettext_lazy("Unpublished")


class PublishableQuerySet(models.QuerySet[Any]):
    def published(self, now: datetime.datetime | None = None) -> PublishableQuerySet:
        """What the public may see: published, and its publish_at time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, now: datetime.datetime | None = None) -> PublishableQuerySet:
        """Approved for publishing at a time still in the future."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now or timezone.now())


class Publishable(models.Model):
    """Fields and rules shared by everything that goes through the publishing workflow."""

    title = models.CharField(gettext_lazy("title"), max_length=200)
    slug = models.SlugField(
        gettext_lazy("slug"),
        max_length=200,
        unique=True,
        help_text=gettext_lazy("The last part of the page's address."),
    )
    summary = models.TextField(
        gettext_lazy("summary"),
        max_length=600,
        help_text=gettext_lazy("One or two sentences shown in lists and search."),
    )
    language = models.CharField(
        gettext_lazy("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("The language this text is written in."),
    )
    # The versions of one text in other languages point at its original (one level only), so each
    # page can link to its other versions and /nl/self-help/<english-slug>/ can find the Dutch one.
    translation_of = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=gettext_lazy(
            "If this is a version of another text in a different language, choose the original here "
            "(for example: this is the Dutch version of an English article)."
        ),
    )
    translation_of_id: Any
    status = models.CharField(
        gettext_lazy("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        gettext_lazy("publish at"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "When it becomes visible once published. Leave empty to publish as soon as it is approved."
        ),
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

    def clean(self) -> None:
        super().clean()
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk:
            raise ValidationError({"translation_of": gettext("A text cannot be a translation of itself.")})
        if original.translation_of_id is not None:
            raise ValidationError(
                {"translation_of": gettext("Choose the original text, not another translation of it.")}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": gettext("The original is in the same language. Choose another language.")}
            )
        taken = (
            type(self)
            .objects.filter(Q(translation_of=original) | Q(pk=original.pk), language=self.language)
            .exclude(pk=self.pk)
        )
        if taken.exists():
            raise ValidationError(
                {"language": gettext("There is already a version of this text in that language.")}
            )

    @property
    def original_id(self) -> Any:
        return self.translation_of_id or self.pk

    def published_versions(self, now: datetime.datetime | None = None) -> list[Publishable]:
        """The public versions of this text in every language, itself included, in settings order."""
        original = self.original_id
        versions = type(self).objects.published(now).filter(Q(pk=original) | Q(translation_of=original))
        order = [code for code, _name in settings.LANGUAGES]
        found = {item.language: item for item in versions.defer("search_document")}
        return [found[code] for code in order if code in found]

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
    name = models.CharField(gettext_lazy("name"), max_length=120, help_text=gettext_lazy("In English."))
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(gettext_lazy("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        gettext_lazy("order"), default=0, help_text=gettext_lazy("Lower numbers come first.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = gettext_lazy("category")
        verbose_name_plural = gettext_lazy("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category", args=[self.slug])

    # The language the name and description shown are written in (set by `in_language`).
    shown_language = settings.LANGUAGE_CODE

    def in_language(self, language: str, names: dict[tuple[int, str], tuple[str, str]]) -> Category:
        """This category with its name and description in `language` where an editor wrote them
        (names: from CategoryName.lookup); otherwise it stays in English, and says so."""
        found = names.get((self.pk, language))
        if found:
            self.name, self.description = found
            self.shown_language = language
        return self


class CategoryName(models.Model):
    """A topic's name and description in another language than English."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(gettext_lazy("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(gettext_lazy("name"), max_length=120)
    description = models.TextField(gettext_lazy("description"), blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = gettext_lazy("name in another language")
        verbose_name_plural = gettext_lazy("names in other languages")
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="one_category_name_per_language")
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def lookup(language: str) -> dict[tuple[int, str], tuple[str, str]]:
        """Every topic's name in one language, read once per page."""
        if language == settings.LANGUAGE_CODE:
            return {}
        return {
            (category_id, language): (name, description)
            for category_id, name, description in CategoryName.objects.filter(language=language).values_list(
                "category_id", "name", "description"
            )
        }


class Resource(Publishable):
    """A self-help article."""

    category = models.ForeignKey(
        Category, verbose_name=gettext_lazy("category"), on_delete=models.PROTECT, related_name="resources"
    )
    body = models.TextField(
        gettext_lazy("body"),
        help_text=gettext_lazy(
            "Markdown. HTML is shown as text; images only from this site. Links to this site's pages "
            "(/chat/, /self-help/…) lead to the reader's language."
        ),
    )
    body_html = models.TextField(editable=False, default="")
    reading_time = models.PositiveSmallIntegerField(editable=False, default=1, help_text="Minutes.")
    related = models.ManyToManyField(
        "self",
        verbose_name=gettext_lazy("related"),
        blank=True,
        help_text=gettext_lazy("Shown as further reading."),
    )
    hard_content = models.BooleanField(
        gettext_lazy("hard to read"),
        default=False,
        help_text=gettext_lazy("Shows a warning before the text that some readers may find it difficult."),
    )
    featured = models.BooleanField(
        gettext_lazy("featured"), default=False, help_text=gettext_lazy("Shown on the home page.")
    )

    TEXT_FIELDS = (*Publishable.TEXT_FIELDS, "body", "category", "hard_content", "featured")
    SEARCH_FIELDS = ("title", "summary", "body")
    PUBLISH_PERMISSION = "resources.publish_resource"

    class Meta:
        ordering = ["title"]
        verbose_name = gettext_lazy("resource")
        verbose_name_plural = gettext_lazy("resources")
        permissions = [("publish_resource", "Can publish and unpublish resources")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_markdown(self.body, language=self.language)
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

    objectives = models.TextField(
        gettext_lazy("objectives"), help_text=gettext_lazy("Markdown: what someone will get from the module.")
    )
    objectives_html = models.TextField(editable=False, default="")

    TEXT_FIELDS = (*Publishable.TEXT_FIELDS, "objectives")
    SEARCH_FIELDS = ("title", "summary", "objectives")
    PUBLISH_PERMISSION = "resources.publish_guidedmodule"

    class Meta:
        ordering = ["title"]
        verbose_name = gettext_lazy("guided module")
        verbose_name_plural = gettext_lazy("guided modules")
        permissions = [("publish_guidedmodule", "Can publish and unpublish guided modules")]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.objectives_html = render_markdown(self.objectives, first_heading=3, language=self.language)
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
    title = models.CharField(gettext_lazy("title"), max_length=200)
    body = models.TextField(gettext_lazy("body"), help_text=gettext_lazy("Markdown reading for this step."))
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["module", "order", "id"]

    def __str__(self) -> str:
        return f"{self.module.title}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Under the step's own <h2>; its links lead to pages in the module's language.
        self.body_html = render_markdown(self.body, first_heading=3, language=self.module.language)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)


class Exercise(models.Model):
    class Kind(models.TextChoices):
        REFLECTION = "reflection", gettext_lazy("Reflection question")
        RATING = "rating", gettext_lazy("Self-rating scale")
        PLAN = "plan", gettext_lazy("A plan the person writes")

    step = models.ForeignKey(ModuleStep, on_delete=models.CASCADE, related_name="exercises")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REFLECTION)
    prompt = models.TextField()
    help_text = models.TextField(
        blank=True, help_text=gettext_lazy("Optional guidance shown under the prompt.")
    )
    scale_min = models.SmallIntegerField(default=0, help_text=gettext_lazy("Self-rating only."))
    scale_max = models.SmallIntegerField(default=10, help_text=gettext_lazy("Self-rating only."))
    min_label = models.CharField(
        max_length=80, blank=True, help_text=gettext_lazy("Self-rating only, e.g. 'Not at all'.")
    )
    max_label = models.CharField(
        max_length=80, blank=True, help_text=gettext_lazy("Self-rating only, e.g. 'Completely'.")
    )

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
        CREATED = "created", gettext_lazy("Created")
        EDITED = "edited", gettext_lazy("Edited")
        SUBMITTED = "submitted", gettext_lazy("Submitted for review")
        PUBLISHED = "published", gettext_lazy("Published")
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        UNPUBLISHED = "unpublished", gettext_lazy("Unpublished")
        RETURNED = "returned", gettext_lazy("Returned to draft")

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
