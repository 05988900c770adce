"""Demo self-help content for the embedded site.

Written to the same rules as real content: supportive, non-judgemental, plain language, never
explicit. It points to kinds of help (this service's chat and secure messages, a GP or doctor, a
therapist or counsellor, urgent mental-health support, emergency services) and never invents a
phone number, a website or the name of an organisation or a person.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from resources import actions, caching
from resources.demo.articles import CATEGORIES, RESOURCES
from resources.demo.module import MODULE
from resources.demo.translations import TRANSLATIONS
from resources.models import (
    Category,
    CategoryName,
    Exercise,
    GuidedModule,
    ModuleStep,
    Resource,
    Revision,
    Status,
)


def _publish_demo(item: Resource | GuidedModule, created: bool) -> None:
    if item.status != Status.PUBLISHED or item.publish_at is None:
        item.status = Status.PUBLISHED
        item.publish_at = item.publish_at or timezone.now()
        item.save(update_fields=["status", "publish_at", "updated"])
    if created:
        actions.record_revision(item, None, Revision.Action.PUBLISHED, ["demo content"])


def load_demo_content() -> list[str]:
    """Create or refresh the demo content; returns lines describing what was loaded."""
    with transaction.atomic():
        categories = {}
        for order, category_data in enumerate(CATEGORIES):
            categories[category_data["slug"]], _ = Category.objects.update_or_create(
                slug=category_data["slug"],
                defaults={
                    "name": category_data["name"],
                    "description": category_data["description"],
                    "order": order,
                },
            )

        resources = {}
        for data in RESOURCES:
            resource, created = Resource.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": data["body"].strip(),
                    "category": categories[data["category"]],
                    "language": "en",
                    "hard_content": data.get("hard_content", False),
                    "featured": data.get("featured", False),
                },
            )
            _publish_demo(resource, created)
            resources[data["slug"]] = resource
        for data in RESOURCES:
            resources[data["slug"]].related.set(
                [resources[slug] for slug in data["related"] if slug in resources]
            )

        module, created = GuidedModule.objects.update_or_create(
            slug=MODULE["slug"],
            defaults={
                "title": MODULE["title"],
                "summary": MODULE["summary"],
                "objectives": MODULE["objectives"].strip(),
                "language": "en",
            },
        )
        exercise_count = _load_steps(module, MODULE["steps"])
        _publish_demo(module, created)
        translated = _load_translations(categories, resources, module)
        transaction.on_commit(caching.bump_content_generation)

    return [
        f"Self-help library: {len(categories)} categories, {len(resources)} published resources.",
        f"Guided module: “{module.title}” with {len(MODULE['steps'])} steps and {exercise_count} exercises "
        f"at /en/modules/{module.slug}/.",
        f"Translations: {translated} pieces in {', '.join(sorted(TRANSLATIONS))}, linked to their originals.",
    ]


def _load_translations(
    categories: dict[str, Category], resources: dict[str, Resource], module: GuidedModule
) -> int:
    """Each language's topic names, featured pieces and module, as versions of the English ones."""
    count = 0
    for language, texts in TRANSLATIONS.items():
        for slug, (name, description) in texts["categories"].items():
            CategoryName.objects.update_or_create(
                category=categories[slug],
                language=language,
                defaults={"name": name, "description": description},
            )
        for original_slug, data in texts["resources"].items():
            original = resources[original_slug]
            resource, created = Resource.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": data["body"].strip(),
                    "category": original.category,
                    "language": language,
                    "translation_of": original,
                    "hard_content": original.hard_content,
                    "featured": original.featured,
                },
            )
            _publish_demo(resource, created)
            count += 1
        data = texts["module"]
        version, created = GuidedModule.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "objectives": data["objectives"].strip(),
                "language": language,
                "translation_of": module,
            },
        )
        _load_steps(version, data["steps"])
        _publish_demo(version, created)
        count += 1
    return count


def _load_steps(module: GuidedModule, steps: list[dict[str, Any]]) -> int:
    """Steps and exercises matched by position, so their ids (and a reader's saved answers) survive."""
    count = 0
    for step_order, step_data in enumerate(steps, start=1):
        step, _ = ModuleStep.objects.update_or_create(
            module=module,
            order=step_order,
            defaults={"title": step_data["title"], "body": step_data["body"].strip()},
        )
        for exercise_order, exercise_data in enumerate(step_data["exercises"], start=1):
            Exercise.objects.update_or_create(
                step=step,
                order=exercise_order,
                defaults={
                    "kind": exercise_data["kind"],
                    "prompt": exercise_data["prompt"],
                    "help_text": exercise_data.get("help_text", ""),
                    "min_label": exercise_data.get("min_label", ""),
                    "max_label": exercise_data.get("max_label", ""),
                    "scale_min": 0,
                    "scale_max": 10,
                },
            )
            count += 1
        step.exercises.filter(order__gt=len(step_data["exercises"])).delete()
    module.steps.filter(order__gt=len(steps)).delete()
    return count
