"""The supervisor board, transcripts (read by staff in their own chats and by supervisors) and
escalation decisions."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from helpline.chat import access as chat_access
from helpline.chat import actions as chat_actions
from helpline.chat.presenters import ABOUT_LABELS, STATUS_LABELS, board_state, transcript_with_notes
from helpline.chat.views.staff import PLACEHOLDER_ID, staff_chat
from helpline.errors import Refusal, refusal_json, wants_json
from helpline.languages import language_name
from helpline.models import (
    ChatSession,
    Escalation,
    Message,
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
    return _render_transcript(request, staff_chat(request, public_id, read_in=True))


def _render_transcript(
    request: StaffRequest, chat: ChatSession, *, draft: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    live = chat.status == ChatSession.Status.ACTIVE
    own = chat.staff_id == request.profile.id
    return render(
        request,
        "helpline/chat/staff/transcript.html",
        {
            "chat": chat,
            "ref": chat.ref,
            "language_name": language_name(chat.language),
            "about": ABOUT_LABELS.get(chat.about, ""),
            "status_label": STATUS_LABELS[chat.status],
            "transcript": transcript_with_notes(chat),
            "escalations": list(chat.escalations.select_related("raised_by", "decided_by")),
            "decisions": Escalation.Decision.choices,
            "supervisor": request.supervisor,
            "own": own,
            # A supervisor reading a live chat of someone else's may whisper to them, and join it.
            "may_whisper": request.supervisor and live and not own,
            "joined": chat_access.joined_to_help(request.profile, chat),
            "joined_by": chat.joined_by.display_name if chat.joined_by else "",
            "draft": draft,
            "error": error,
            "message_max_length": settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        },
        status=status,
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


# --- whisper and join ---------------------------------------------------------------------------


def _back(request: StaffRequest, *args: object, **kwargs: object) -> str:
    """Back to the staff page the form was on (the board or a transcript); the board otherwise."""
    back = request.POST.get("next", "")
    if not back.startswith("/staff/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return reverse("staff-supervisor")
    return back


def _chat_named(request: StaffRequest) -> ChatSession:
    """The live chat a board or transcript form names (its "chat" field), as this supervisor may read it."""
    try:
        public_id = UUID(request.POST.get("chat", ""))
    except ValueError:
        raise Refusal("no_chat", gettext("Choose a live chat first.")) from None
    return staff_chat(request, public_id, read_in=True)


@require_POST
@supervisor_required
def whisper(request: StaffRequest) -> HttpResponse:
    """A private note to the staff member in a live chat. The person seeking help never sees it.
    Refused (the chat ended meanwhile, say): the board again, with the note still in its box."""
    body = request.POST.get("body", "")
    try:
        chat = _chat_named(request)
        note = chat_actions.do_whisper(chat, request.profile, body)
    except (Refusal, Http404) as problem:
        error = problem if isinstance(problem, Refusal) else staff_access.gone()
        if wants_json(request):
            return refusal_json(error, status=404 if isinstance(problem, Http404) else 400)
        context = {**board_state(), "placeholder_id": PLACEHOLDER_ID}
        context.update(whisper_draft=body, whisper_error=error.message)
        return render(request, "helpline/chat/staff/supervisor.html", context, status=400)
    notice = gettext("Your private note was sent to %(name)s. The person cannot see it.") % {
        "name": chat.staff.display_name if chat.staff else gettext("the staff member")
    }
    return staff_access.done(request, _back(request), notice, note=note.as_event())


@require_POST
@supervisor_required
@refusals_go_back(to=_back)
def join(request: StaffRequest) -> HttpResponse:
    """Join a live chat as a second member of the team; then write in it from its transcript page."""
    chat = _chat_named(request)
    chat_actions.do_join_chat(chat, request.profile)
    return staff_access.done(
        request,
        reverse("staff-transcript", args=[chat.public_id]),
        gettext(
            "You have joined the chat. The person has been told that another member of the team has joined."
        ),
        chat=chat.public_id.hex,
    )


def _back_to_chat(request: StaffRequest, public_id: UUID) -> str:
    return reverse("staff-transcript", args=[public_id])


@require_POST
@staff_required
@refusals_go_back(to=_back_to_chat)
def leave(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id, read_in=True)
    chat_actions.do_leave_chat(chat, request.profile)
    return staff_access.done(
        request,
        reverse("staff-transcript", args=[chat.public_id]),
        gettext("You have left the chat. The person has been told."),
    )


@require_POST
@staff_required
def write(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """A joined supervisor's message to the person, from the transcript page. Refused: the page again,
    with the words still in the box."""
    chat = staff_chat(request, public_id, read_in=True)
    body = request.POST.get("body", "")
    try:
        if not chat_access.may_write_in(request.profile, chat):
            raise Refusal("not_your_chat", gettext("Join the chat before writing in it."))
        message = chat_actions.do_send_message(chat, Message.Sender.STAFF, body, request.profile)
    except Refusal as error:
        if wants_json(request):
            return refusal_json(error)
        return _render_transcript(request, chat, draft=body, error=error.message, status=400)
    return staff_access.done(
        request,
        f"{reverse('staff-transcript', args=[chat.public_id])}#write",
        message=message.as_event(),
        chat=chat.public_id.hex,
    )
