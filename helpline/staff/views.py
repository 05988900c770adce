"""A staff member's own settings that are not about chats: the language of their staff pages; and their
wellbeing (a break after a heavy chat, a debrief request, and a supervisor's extension of a shift)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff.access import StaffRequest, refusals_go_back, staff_required, supervisor_required
from helpline.staff.models import DebriefRequest, StaffProfile


def back_to_page(request: StaffRequest) -> str:
    """The chooser sits in the header of every staff page: without JavaScript, back to that page."""
    back = request.POST.get("next", "")
    if not back.startswith(("/staff/", "/admin/")) or not url_has_allowed_host_and_scheme(
        back, allowed_hosts=None
    ):
        return reverse("staff-console")
    return back


@require_POST
@staff_required
@refusals_go_back(to=back_to_page)
def interface_language(request: StaffRequest) -> HttpResponse:
    profile = staff_actions.do_set_interface_language(request.profile, request.POST.get("language", ""))
    # The notice is read on the next page, which speaks the new language.
    translation.activate(profile.interface_language)
    return staff_access.done(request, back_to_page(request), language=profile.interface_language)


@require_POST
@staff_required
@refusals_go_back(to=back_to_page)
def end_break(request: StaffRequest) -> HttpResponse:
    staff_actions.do_end_break(request.profile)
    return staff_access.done(
        request, back_to_page(request), gettext("New chats can be offered to you again. Take care.")
    )


@require_POST
@staff_required
@refusals_go_back(to=back_to_page)
def request_debrief(request: StaffRequest) -> HttpResponse:
    staff_actions.do_request_debrief(request.profile, request.POST.get("note", ""))
    return staff_access.done(
        request,
        back_to_page(request),
        gettext("Your request for a debrief has reached the supervisors. Someone will be in touch."),
    )


def _to_board(request: StaffRequest, *args: object, **kwargs: object) -> str:
    return reverse("staff-supervisor")


@require_POST
@supervisor_required
@refusals_go_back(to=_to_board)
def extend_shift(request: StaffRequest, profile_id: int) -> HttpResponse:
    person = get_object_or_404(StaffProfile, pk=profile_id)
    staff_actions.do_extend_shift(person, request.profile)
    return staff_access.done(
        request,
        reverse("staff-supervisor"),
        gettext("%(name)s can take new chats for a while longer.") % {"name": person.display_name},
    )


@require_POST
@supervisor_required
@refusals_go_back(to=_to_board)
def arrange_debrief(request: StaffRequest, debrief_id: int) -> HttpResponse:
    debrief = get_object_or_404(DebriefRequest.objects.select_related("staff"), pk=debrief_id)
    staff_actions.do_arrange_debrief(debrief, request.profile)
    return staff_access.done(
        request,
        reverse("staff-supervisor"),
        gettext("The debrief with %(name)s is marked as arranged.") % {"name": debrief.staff.display_name},
    )
