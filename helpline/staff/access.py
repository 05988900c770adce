"""Who is helpline staff, who supervises; and (below) the guards staff pages and endpoints stand behind."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from helpline.errors import Refusal, refusal_json, wants_json
from helpline.models import (
    STAFF_GROUP,
    SUPERVISOR_GROUP,
    StaffProfile,
)
from helpline.staff import actions as staff_actions
from helpline.staff.middleware import profile_of_request
from helpline.staff.two_factor import is_verified

STAFF_GROUPS = (STAFF_GROUP, SUPERVISOR_GROUP)


def in_staff_groups(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name__in=STAFF_GROUPS).exists()  # type: ignore[attr-defined]
    )


def helpline_staff_profiles(user_ids: Iterable[int]) -> dict[int, int]:
    """Who of these people is helpline staff now (active, in the staff or the supervisors' group, with a
    staff profile), as user id -> profile id: the rule in one query however many are asked about (a web
    process re-checks all its consoles at once, helpline.staff.socket_access.still_holding)."""
    staff = StaffProfile.objects.filter(
        user_id__in=list(user_ids), user__is_active=True, user__groups__name__in=STAFF_GROUPS
    )
    return dict(staff.values_list("user_id", "pk").distinct())


def is_helpline_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.pk in helpline_staff_profiles([user.pk]))


def is_supervisor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.groups.filter(name=SUPERVISOR_GROUP).exists()  # type: ignore[attr-defined]
    )


P = ParamSpec("P")


def gone() -> Refusal:
    """A chat or message that is not open to this person: the same words whether or not it exists."""
    return Refusal(
        "no_chat",
        gettext(
            "That chat or message is not open to you. It may have ended, timed out or been passed to a "
            "colleague."
        ),
    )


class StaffRequest(HttpRequest):
    """A request from a signed-in member of the helpline staff (see staff_required)."""

    profile: StaffProfile
    supervisor: bool


def forbidden(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return refusal_json(Refusal("forbidden", gettext("This is for helpline staff only.")), status=403)
    return render(request, "errors/403.html", status=403)


def staff_required(
    view: Callable[Concatenate[StaffRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Anonymous: to the sign-in page. Signed in but not helpline staff (an editor, say): 403.
    A chat the person may not see: 404 with words a staff member can act on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if wants_json(request):
                return refusal_json(
                    Refusal(
                        "signed_out", gettext("You have been signed out. Please reload and sign in again.")
                    ),
                    status=401,
                )
            return redirect_to_login(request.get_full_path())
        # The profile the language middleware read for this request, so it is read once.
        profile = profile_of_request(request)
        if profile is None or not in_staff_groups(request.user):
            return forbidden(request)
        if not is_verified(request):
            if wants_json(request):
                return refusal_json(
                    Refusal("second_factor", gettext("Please reload and enter your two-factor code.")),
                    status=401,
                )
            return redirect(reverse("two-factor") + "?next=" + request.get_full_path())
        staff_request = cast(StaffRequest, request)
        staff_request.profile = profile
        staff_request.supervisor = is_supervisor(request.user)
        # Any staff page the person loads (and each page's pulse) says they are at work: presence
        # belongs to the person, not to the console's socket.
        staff_actions.check_in_staff(staff_request.profile)
        try:
            return view(staff_request, *args, **kwargs)
        except Http404:
            if wants_json(request):
                return refusal_json(gone(), status=404)
            return render(
                request, "helpline/chat/staff/chat_gone.html", {"message": gone().message}, status=404
            )

    return never_cache(wrapper)


def supervisor_required(
    view: Callable[Concatenate[StaffRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    @wraps(view)
    def wrapper(request: StaffRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.supervisor:
            return forbidden(request)
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def done(request: HttpRequest, to: str, notice: str = "", **payload: Any) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": True, "notice": notice, **payload})
    if notice:
        messages.success(request, notice)
    return redirect(to)


def refused(request: HttpRequest, error: Refusal, to: str) -> HttpResponse:
    if wants_json(request):
        return refusal_json(error)
    messages.error(request, error.message)
    return redirect(to)


def refusals_go_back(
    to: Callable[..., str],
) -> Callable[
    [Callable[Concatenate[StaffRequest, P], HttpResponse]],
    Callable[Concatenate[StaffRequest, P], HttpResponse],
]:
    """The one way a staff form's Refusal is answered: JSON for the console's script, otherwise its words
    as a message and back to `to(request, **the view's arguments)`. Nothing was changed, so going back
    shows the person the page as it is, with what to do next."""

    def decorate(
        view: Callable[Concatenate[StaffRequest, P], HttpResponse],
    ) -> Callable[Concatenate[StaffRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: StaffRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Refusal as error:
                return refused(request, error, to(request, *args, **kwargs))

        return wrapper

    return decorate
