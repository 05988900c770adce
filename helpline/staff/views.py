"""A staff member's own settings that are not about chats: the language of their staff pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff.access import StaffRequest, refusals_go_back, staff_required


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
