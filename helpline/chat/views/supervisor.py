"""The supervisor board, transcripts (read by staff in their own chats and by supervisors) and
escalation decisions."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from helpline.chat import actions as chat_actions
from helpline.chat.presenters import ABOUT_LABELS, STATUS_LABELS, board_state, transcript_of
from helpline.chat.views.staff import PLACEHOLDER_ID, staff_chat
from helpline.languages import language_name
from helpline.models import (
    Escalation,
)
from helpline.staff import access as staff_access
from helpline.staff.access import StaffRequest, refusals_go_back, staff_required, supervisor_required


@require_GET
@supervisor_required
def supervisor_board(request: StaffRequest) -> HttpResponse:
    return render(
        request, "helpline/chat/staff/supervisor.html", {**board_state(), "placeholder_id": PLACEHOLDER_ID}
    )


@require_GET
@supervisor_required
def supervisor_state(request: StaffRequest) -> HttpResponse:
    """The board's live regions as the page draws them, for its script to swap in."""
    return render(request, "helpline/chat/staff/_board_state.html", board_state())


@require_GET
@staff_required
def transcript(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id, read_in=True)
    return render(
        request,
        "helpline/chat/staff/transcript.html",
        {
            "chat": chat,
            "ref": chat.ref,
            "language_name": language_name(chat.language),
            "about": ABOUT_LABELS.get(chat.about, ""),
            "status_label": STATUS_LABELS[chat.status],
            "transcript": transcript_of(chat),
            "escalations": list(chat.escalations.select_related("raised_by", "decided_by")),
            "decisions": Escalation.Decision.choices,
            "supervisor": request.supervisor,
            "own": chat.staff_id == request.profile.id,
        },
    )


def _back_to_transcript(request: StaffRequest, escalation_id: int) -> str:
    escalation = get_object_or_404(Escalation.objects.select_related("session"), pk=escalation_id)
    return reverse("staff-transcript", args=[escalation.session.public_id])


@require_POST
@supervisor_required
@refusals_go_back(to=_back_to_transcript)
def decide(request: StaffRequest, escalation_id: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.select_related("session"), pk=escalation_id)
    chat = staff_chat(request, escalation.session.public_id, read_in=True)  # one this supervisor may read
    chat_actions.do_decide_escalation(escalation, request.profile, request.POST.get("decision", ""))
    return staff_access.done(
        request,
        reverse("staff-transcript", args=[chat.public_id]),
        gettext("The decision has been recorded."),
    )
