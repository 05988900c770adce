"""The editors' and reviewers' workspace, in the Django admin.

Status never changes through the form: it changes through the workflow buttons on each item's page
and the actions on the lists, which call resources.actions (the permission checks, the revision
history and the cache invalidation live there, not here).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import BaseModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from resources import actions, localised
from resources.models import (
    Category,
    CategoryName,
    Exercise,
    GuidedModule,
    ModuleStep,
    Publishable,
    Resource,
    Revision,
    Status,
)
from resources.search_synonyms import SearchSynonym

WORKFLOW_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "publish": gettext_lazy("Publish"),
    "unpublish": gettext_lazy("Unpublish"),
    "return": gettext_lazy("Return to draft"),
}
DONE_MESSAGES = {
    "submit": gettext_lazy("“%(title)s” was sent for review."),
    "publish": gettext_lazy("“%(title)s” is published."),
    "unpublish": gettext_lazy("“%(title)s” is no longer public."),
    "return": gettext_lazy("“%(title)s” is a draft again."),
}


class RevisionInline(GenericTabularInline):
    model = Revision
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("created", "user_name", "action", "status", "changed_fields")
    readonly_fields = fields
    verbose_name = gettext_lazy("revision")
    verbose_name_plural = gettext_lazy("revision history")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WorkflowAdmin(admin.ModelAdmin):
    """Shared by resources and modules: locked when published, workflow buttons, preview, history."""

    change_form_template = "resources/admin/change_form.html"
    list_display = ["title", "language", "translation_of", "status_label", "publish_at", "updated"]
    list_filter = ["status", "language"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("translation_of",)
    inlines = [RevisionInline]
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "return_selected"]

    # -- permissions ---------------------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return actions.can_edit(request.user, obj)
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return actions.can_publish(request.user, self.model)

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Published content is taken down by unpublishing, which keeps its history.
        if obj is not None and obj.status == Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    # -- display -------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, obj: Publishable) -> str:
        if obj.pk is None:
            return gettext("Draft (not saved yet)")
        if obj.is_scheduled():
            assert obj.publish_at is not None
            when = timezone.localtime(obj.publish_at)
            return gettext("Scheduled for %(when)s") % {"when": f"{when:%d %b %Y, %H:%M}"}
        return str(obj.get_status_display())

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "translation_of":
            # Only originals can be chosen: a translation points at the text it translates.
            kwargs["queryset"] = self.model.objects.filter(translation_of__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "translation_of":
            queryset = queryset.filter(translation_of__isnull=True)
        return queryset, may_have_duplicates

    def _translation_initial(self, obj: Publishable) -> dict[str, Any]:
        """Fields a new version of this text shares with it (a resource's topic)."""
        return {}

    def _versions(self, obj: Publishable) -> list[dict[str, str]]:
        """The other language versions of this text, for the editor's page."""
        original = obj.original_id
        versions = self.model.objects.filter(Q(pk=original) | Q(translation_of=original)).exclude(pk=obj.pk)
        return [
            {
                "url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[version.pk]
                ),
                "language": version.language,
                "language_name": localised.language_name(version.language),
                "title": version.title,
                "status": str(version.get_status_display()),
            }
            for version in versions.order_by("language")
        ]

    def get_view_on_site_url(self, obj: Any = None) -> str | None:
        if obj is None or obj.pk is None:
            return None
        return str(obj.get_absolute_url() if obj.is_public() else obj.get_preview_url())

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["workflow_actions"] = [
                (name, self._workflow_label(name, obj))
                for name in actions.allowed_workflow_actions(obj, request.user)
            ]
            extra_context["workflow_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow", args=[obj.pk]
            )
            extra_context["is_locked"] = obj.status == Status.PUBLISHED and not actions.can_edit(
                request.user, obj
            )
            extra_context["workflow_item"] = obj
            extra_context["workflow_versions"] = self._versions(obj)
            # The add form starts filled in as a version of this text's original.
            initial = {"translation_of": obj.original_id, **self._translation_initial(obj)}
            extra_context["workflow_add_version_url"] = (
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_add") + "?" + urlencode(initial)
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_label(self, name: str, obj: Publishable) -> str:
        if name == "publish" and obj.publish_at is not None and obj.publish_at > timezone.now():
            when = timezone.localtime(obj.publish_at)
            return gettext("Publish on %(when)s (scheduled)") % {"when": f"{when:%d %b %Y, %H:%M}"}
        return str(WORKFLOW_LABELS[name])

    # -- saving --------------------------------------------------------------------------------

    def save_related(self, request: HttpRequest, form: BaseModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data)
        for formset in formsets:
            if formset.model is not Revision and formset.has_changed():
                changed.append(str(formset.model._meta.verbose_name_plural))
        actions.do_save_content(form.instance, request.user, changed, created=not change)

    # -- workflow ------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        workflow = path(
            "<path:object_id>/workflow/",
            self.admin_site.admin_view(self.workflow_view),
            name="{}_{}_workflow".format(*info),
        )
        return [workflow, *super().get_urls()]

    def workflow_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        name = request.POST.get("action", "")
        if name not in actions.WORKFLOW_ACTIONS:
            raise Http404
        self._run(request, name, [obj])
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def _run(self, request: HttpRequest, name: str, items: Any) -> None:
        for item in items:
            try:
                actions.WORKFLOW_ACTIONS[name](item, request.user)
            except PermissionDenied as error:
                self.message_user(request, f"“{item}”: {error}", messages.ERROR)
            except actions.WorkflowError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, DONE_MESSAGES[name] % {"title": item}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Submit selected for review"), permissions=["submit"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._run(request, "submit", queryset)

    @admin.action(
        description=gettext_lazy("Publish selected (or schedule them for their publish time)"),
        permissions=["publish"],
    )
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._run(request, "publish", queryset)

    @admin.action(description=gettext_lazy("Unpublish selected"), permissions=["publish"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._run(request, "unpublish", queryset)

    @admin.action(description=gettext_lazy("Return selected to draft"), permissions=["submit"])
    def return_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._run(request, "return", queryset)


@admin.register(Resource)
class ResourceAdmin(WorkflowAdmin):
    list_display = [
        "title",
        "category",
        "language",
        "translation_of",
        "status_label",
        "publish_at",
        "featured",
        "updated",
    ]
    list_filter = ["status", "language", "category", "hard_content", "featured"]
    search_fields = ["title", "summary", "slug", "body"]
    autocomplete_fields = ("related", "translation_of")  # type: ignore[assignment]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "category", "language", "translation_of")}),
        (gettext_lazy("Text"), {"fields": ("body", "hard_content")}),
        (gettext_lazy("Placement"), {"fields": ("related", "featured", "publish_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resource]:
        return super().get_queryset(request).select_related("category")

    def _translation_initial(self, obj: Publishable) -> dict[str, Any]:
        assert isinstance(obj, Resource)
        return {"category": obj.category_id}


class StepInline(admin.StackedInline):
    model = ModuleStep
    extra = 0
    fields = ("order", "title", "body")
    show_change_link = True  # a step's own page is where its exercises are edited

    def _parent_editable(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or actions.can_edit(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


@admin.register(GuidedModule)
class GuidedModuleAdmin(WorkflowAdmin):
    inlines = [StepInline, RevisionInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "language", "translation_of")}),
        (gettext_lazy("About the module"), {"fields": ("objectives", "publish_at")}),
    )


class ExerciseInline(admin.StackedInline):
    model = Exercise
    extra = 0
    fields = ("order", "kind", "prompt", "help_text", ("scale_min", "scale_max"), ("min_label", "max_label"))

    def _module_editable(self, request: HttpRequest, step: Any) -> bool:
        return step is None or actions.can_edit(request.user, step.module)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self._module_editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._module_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._module_editable(request, obj)


@admin.register(ModuleStep)
class ModuleStepAdmin(admin.ModelAdmin):
    """A step and its exercises; reached from its module's page, so not listed on the admin index."""

    inlines = [ExerciseInline]
    fields = ("module", "order", "title", "body")
    list_display = ("title", "module", "order")
    list_select_related = ("module",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # steps are added on their module's page

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("module",) if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or actions.can_edit(request.user, obj.module))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or actions.can_edit(request.user, obj.module))

    def save_related(self, request: HttpRequest, form: BaseModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = [f"step {form.instance.title}: {field}" for field in form.changed_data]
        changed += ["exercises" for formset in formsets if formset.has_changed()]
        actions.do_save_content(form.instance.module, request.user, changed, created=False)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        response = super().response_change(request, obj)
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return HttpResponseRedirect(reverse("admin:resources_guidedmodule_change", args=[obj.module_id]))
        return response


class CategoryNameInline(admin.TabularInline):
    """The topic's name in the other languages; pages in a language without one show the English."""

    model = CategoryName
    extra = 0
    fields = ("language", "name", "description")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    inlines = [CategoryNameInline]
    list_display = ("name", "order", "slug")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: Category, form: BaseModelForm, change: bool) -> None:
        actions.do_save_category(obj, request.user, created=not change)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The history, read-only for everyone: it is a record, not a document."""

    list_display = ("created", "content_object", "user_name", "action", "status")
    list_filter = ("action", "status", "content_type")
    search_fields = ("user_name",)
    fields = (
        "created",
        "content_type",
        "object_id",
        "user_name",
        "action",
        "status",
        "changed_fields",
        "text",
    )
    readonly_fields = fields
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("text at this revision"))
    def text(self, obj: Revision) -> str:
        return format_html(
            "<pre class='revision-snapshot'>{}</pre>", json.dumps(obj.snapshot, indent=2, ensure_ascii=False)
        )


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Editors keep the list of other words search looks for; a change shows in results at once."""

    list_display = ("terms", "also_means", "language", "updated")
    list_filter = ("language",)
    search_fields = ("terms", "also_means")
    fields = ("language", "terms", "also_means")
