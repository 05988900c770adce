"""The staff side of the chat service: console, wrap-up, supervisor board and transcripts.

Every view opens with one helper that loads what it needs and checks access (a chat that is not
yours is a 404, whether or not it exists). State changes go through helpline.actions only; a
ChatError's words are shown to the person as they are. Each POST answers JSON when asked for it (the
console's script) and otherwise redirects back, so the console also works as plain forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline import actions, presence, selectors
from helpline.actions import ChatError
from helpline.forms import WrapUpForm
from helpline.models import (
    Availability,
    CannedResponse,
    ChatSession,
    Escalation,
    Message,
    StaffProfile,
)
from helpline.views.two_factor import is_verified

P = ParamSpec("P")
Status = ChatSession.Status
# Stands in for a chat's id in the transcript address the staff pages' script fills in for an
# escalation it hears of over the socket (the event carries the chat's hex id only).
PLACEHOLDER_ID = UUID(int=0)

ABOUT_LABELS: dict[str, str] = {
    ChatSession.About.SELF: "About themselves",
    ChatSession.About.SOMEONE_ELSE: "About someone else",
    ChatSession.About.NOT_SAID: "Did not say who it is about",
}
STATUS_LABELS: dict[str, str] = {
    Status.WAITING: "Waiting",
    Status.OFFERED: "Offered",
    Status.ACTIVE: "Live",
    Status.ENDED: "Ended",
}
GONE = ChatError(
    "no_chat",
    "That chat or message is not open to you. It may have ended, timed out or been passed to a colleague.",
)


class StaffRequest(HttpRequest):
    """A request from a signed-in member of the helpline staff (see staff_required)."""

    profile: StaffProfile
    supervisor: bool


# --- access ---------------------------------------------------------------------------------


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def forbidden(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return _error_json(ChatError("forbidden", "This is for helpline staff only."), status=403)
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
                return _error_json(
                    ChatError("signed_out", "You have been signed out. Please reload and sign in again."),
                    status=401,
                )
            return redirect_to_login(request.get_full_path())
        if not selectors.is_helpline_staff(request.user):
            return forbidden(request)
        if not is_verified(request):
            if wants_json(request):
                return _error_json(
                    ChatError("second_factor", "Please reload and enter your two-factor code."), status=401
                )
            return redirect(reverse("two-factor") + "?next=" + request.get_full_path())
        staff_request = cast(StaffRequest, request)
        staff_request.profile = StaffProfile.objects.select_related("user").get(user=request.user)
        staff_request.supervisor = selectors.is_supervisor(request.user)
        # Any staff page the person loads (and each page's pulse) says they are at work: presence
        # belongs to the person, not to the console's socket.
        actions.check_in_staff(staff_request.profile)
        try:
            return view(staff_request, *args, **kwargs)
        except Http404:
            if wants_json(request):
                return _error_json(GONE, status=404)
            return render(request, "helpline/staff/chat_gone.html", {"message": GONE.message}, status=404)

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


def _chat(request: StaffRequest, public_id: UUID, *, read_in: bool = False) -> ChatSession:
    """A chat offered to or held by this person; with read_in, also what a supervisor may read."""
    return selectors.access_staff_chat(
        request.profile, str(public_id), supervisor=read_in and request.supervisor
    )


# --- answers --------------------------------------------------------------------------------


def _error_json(error: ChatError, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": {"code": error.code, "message": error.message}}, status=status)


def _done(request: HttpRequest, to: str, notice: str = "", **payload: Any) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": True, "notice": notice, **payload})
    if notice:
        messages.success(request, notice)
    return redirect(to)


def _refused(request: HttpRequest, error: ChatError, to: str) -> HttpResponse:
    if wants_json(request):
        return _error_json(error)
    messages.error(request, error.message)
    return redirect(to)


# Ids and message numbers are 64-bit in the database; a longer number is none of ours.
LARGEST_NUMBER = 2**63 - 1


def whole_number(value: str) -> int | None:
    """A number from a form or an address, or None if it is not one. ASCII digits only: str.isdigit()
    also accepts "²", which int() then refuses (that was a 500), and int() reads other scripts' digits,
    which no page of ours sends."""
    if not (value.isascii() and value.isdecimal()) or len(value) > len(str(LARGEST_NUMBER)):
        return None
    number = int(value)
    return number if number <= LARGEST_NUMBER else None


def _console_url(chat: ChatSession | None = None) -> str:
    url = reverse("staff-console")
    return f"{url}#chat-{chat.public_id.hex}" if chat else url


# --- what the console shows -----------------------------------------------------------------


@dataclass
class ChatCard:
    """One chat as the console shows it."""

    chat: ChatSession
    messages: list[Message] = field(default_factory=list)
    colleagues: list[StaffProfile] = field(default_factory=list)
    draft: str = ""
    error: str = ""
    # Whether the seeker is still on the page (the shell's pulse keeps it current in the browser).
    seeker_presence: presence.SeekerPresence = presence.NOT_KNOWN

    @property
    def ended(self) -> bool:
        return self.chat.status == Status.ENDED

    @property
    def last_seq(self) -> int:
        return self.messages[-1].seq if self.messages else 0

    @property
    def ref(self) -> str:
        return chat_ref(self.chat)

    @property
    def language_name(self) -> str:
        return language_name(self.chat.language)

    @property
    def about_label(self) -> str:
        return ABOUT_LABELS.get(self.chat.about, "")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.chat.status]


def chat_ref(chat: ChatSession) -> str:
    """A short handle staff can say aloud ("chat 3f2a91"), meaningless outside the service."""
    return chat.public_id.hex[:6]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def wait_words(seconds: int | None) -> str:
    if seconds is None:
        return "nobody waiting"
    minutes, secs = divmod(max(0, seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _transcript(chat: ChatSession) -> list[Message]:
    return list(chat.messages.select_related("staff").order_by("seq"))


def wrap_ups_due(profile: StaffProfile) -> list[ChatSession]:
    """Chats this person answered and ended that still need a wrap-up (no offers until done).
    Mirrors selectors.staff_with_wrap_up_due, which routing uses."""
    return list(
        ChatSession.objects.filter(
            status=Status.ENDED, staff=profile, answered_at__isnull=False, wrap_up__isnull=True
        ).order_by("ended_at")
    )


def _free_colleagues(profile: StaffProfile) -> list[StaffProfile]:
    """Colleagues a chat can be passed to now: available, a free slot, no wrap-up outstanding."""
    available = list(
        StaffProfile.objects.filter(availability=Availability.AVAILABLE)
        .exclude(pk=profile.pk)
        .select_related("user")
        .order_by("display_name", "id")
    )
    ids = [p.id for p in available]
    loads = selectors.staff_loads(ids)
    due = selectors.staff_with_wrap_up_due(ids)
    return [p for p in available if loads.get(p.id, 0) < p.max_chats and p.id not in due]


def _chat_cards(
    profile: StaffProfile, drafts: dict[str, str], errors: dict[str, str], *, with_messages: bool = True
) -> list[ChatCard]:
    live = list(ChatSession.objects.filter(status=Status.ACTIVE, staff=profile).order_by("answered_at", "id"))
    colleagues = _free_colleagues(profile)
    seen = presence.seeker_presence([c.id for c in live], timezone.now().timestamp())
    cards = []
    for chat in live + wrap_ups_due(profile):
        hex_id = chat.public_id.hex
        card = ChatCard(
            chat=chat,
            messages=_transcript(chat) if with_messages else [],
            colleagues=[p for p in colleagues if chat.language in p.languages],
            draft=drafts.get(hex_id, ""),
            error=errors.get(hex_id, ""),
        )
        if chat.id in seen:
            card.seeker_presence = seen[chat.id]
        cards.append(card)
    return cards


def _offers(profile: StaffProfile) -> list[ChatSession]:
    return list(
        ChatSession.objects.filter(status=Status.OFFERED, offered_to=profile).order_by(
            "offer_expires_at", "id"
        )
    )


def _offer_cards(profile: StaffProfile) -> list[ChatCard]:
    offers = _offers(profile)
    seen = presence.seeker_presence([c.id for c in offers], timezone.now().timestamp())
    return [ChatCard(chat=chat, seeker_presence=seen[chat.id]) for chat in offers]


def console_state(
    request: StaffRequest,
    *,
    drafts: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    with_messages: bool = True,
) -> dict[str, Any]:
    """What templates/helpline/staff/_console_state.html draws: offers, chats and wrap-ups due.
    Availability and the queue are in the page header (helpline.views.shell), not here."""
    profile = request.profile
    cards = _chat_cards(profile, drafts or {}, errors or {}, with_messages=with_messages)
    return {
        "profile": profile,
        "supervisor": request.supervisor,
        "offers": _offer_cards(profile),
        "cards": cards,
        "wrap_ups_due": [card for card in cards if card.ended],
        "canned": list(CannedResponse.objects.filter(active=True)),
        "escalation_reasons": Escalation.Reason.choices,
        "message_max_length": settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        "now": timezone.now(),
    }


def _render_console(
    request: StaffRequest,
    *,
    drafts: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {**console_state(request, drafts=drafts, errors=errors), "placeholder_id": PLACEHOLDER_ID}
    return render(request, "helpline/staff/console.html", context, status=status)


def _canned_draft(request: StaffRequest) -> dict[str, str]:
    """Without JavaScript, "Insert" reloads the console with the stock reply in that chat's box."""
    chat_id, canned_id = request.GET.get("chat", ""), whole_number(request.GET.get("canned", ""))
    if not chat_id or canned_id is None:
        return {}
    try:
        public_id = UUID(chat_id)
    except ValueError:
        return {}
    canned = CannedResponse.objects.filter(pk=canned_id, active=True).first()
    chat = ChatSession.objects.filter(
        public_id=public_id, staff=request.profile, status=Status.ACTIVE
    ).first()
    return {chat.public_id.hex: canned.body} if canned and chat else {}


# --- console --------------------------------------------------------------------------------


@require_GET
@staff_required
def console(request: StaffRequest) -> HttpResponse:
    return _render_console(request, drafts=_canned_draft(request))


@require_GET
@staff_required
def state(request: StaffRequest) -> HttpResponse:
    """The console's live regions as the page draws them, for its script to swap in (no message text:
    the script fetches messages by sequence number). A client that asks for JSON alone, with no page
    to draw (bench/faults.py's consoles), is told what to accept and how far each chat has got."""
    context = console_state(request, with_messages=False)
    if wants_json(request) and "text/html" not in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {
                "offers": [{"chat": card.chat.public_id.hex} for card in context["offers"]],
                "chats": [
                    {
                        "chat": card.chat.public_id.hex,
                        "status": card.chat.status,
                        "last_seq": card.chat.last_seq,
                    }
                    for card in context["cards"]
                ],
            }
        )
    else:
        response = render(request, "helpline/staff/_console_state.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


@require_POST
@staff_required
def availability(request: StaffRequest) -> HttpResponse:
    # Set from the header of any staff page: without JavaScript, back to the page the person was on.
    back = request.POST.get("next", "")
    if not back.startswith("/staff/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = _console_url()
    try:
        profile = actions.set_availability(request.profile, request.POST.get("availability", ""))
    except ChatError as error:
        return _refused(request, error, back)
    return _done(request, back, availability=profile.availability)


@require_POST
@staff_required
def accept(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    try:
        actions.accept_offer(chat, request.profile)
    except ChatError as error:
        return _refused(request, error, _console_url())
    return _done(request, _console_url(chat), chat=chat.public_id.hex)


@require_POST
@staff_required
def decline(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    if not actions.decline_offer(chat, request.profile):
        return _refused(
            request, ChatError("offer_gone", "This chat is no longer offered to you."), _console_url()
        )
    return _done(request, _console_url(), "The chat went back to the front of the queue.")


@require_POST
@staff_required
def send(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    body = request.POST.get("body", "")
    try:
        message = actions.send_message(chat, Message.Sender.STAFF, body, request.profile)
    except ChatError as error:
        if wants_json(request):
            return _error_json(error)
        # Show the console again with the words still in the box: nothing typed is lost.
        hex_id = chat.public_id.hex
        return _render_console(request, drafts={hex_id: body}, errors={hex_id: error.message}, status=400)
    return _done(request, _console_url(chat), message=message.as_event(), chat=chat.public_id.hex)


@require_POST
@staff_required
def end(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    try:
        actions.end_chat(chat, by_staff=request.profile)
    except ChatError as error:
        return _refused(request, error, _console_url(chat))
    wrap_up_url = reverse("staff-wrap-up", args=[chat.public_id])
    if any(due.pk == chat.pk for due in wrap_ups_due(request.profile)):
        return _done(
            request, wrap_up_url, "The chat has ended. Please complete the wrap-up.", wrap_up_url=wrap_up_url
        )
    return _done(request, _console_url(), "The chat has ended.")


@require_POST
@staff_required
def close_left(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Close a live chat whose seeker has left the page, with the short wrap-up if they never wrote."""
    chat = _chat(request, public_id)
    try:
        closed = actions.close_chat_seeker_left(chat, request.profile)
    except ChatError as error:
        return _refused(request, error, _console_url(chat))
    if closed.wrapped_up:
        return _done(request, _console_url(), "Chat closed and recorded as “left before answering”.")
    wrap_up_url = reverse("staff-wrap-up", args=[chat.public_id])
    return _done(request, wrap_up_url, "Chat closed. Please complete the wrap-up.", wrap_up_url=wrap_up_url)


@require_POST
@staff_required
def transfer(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    target = request.POST.get("to", "queue")
    try:
        colleague = None
        if target not in ("", "queue"):
            colleague_id = whole_number(target)
            if colleague_id is not None:
                colleague = StaffProfile.objects.filter(pk=colleague_id).first()
            if colleague is None:
                raise ChatError("bad_transfer", "That colleague could not be found. Please choose again.")
        actions.transfer_chat(chat, request.profile, colleague)
    except ChatError as error:
        return _refused(request, error, _console_url(chat))
    if colleague is None:
        notice = "The chat went back to the front of the queue for the next free colleague."
    else:
        notice = f"The chat has been offered to {colleague.display_name}."
    return _done(request, _console_url(), notice)


@require_POST
@staff_required
def escalate(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    try:
        escalation = actions.escalate(chat, request.profile, request.POST.get("reason", ""))
    except ChatError as error:
        return _refused(request, error, _console_url(chat))
    return _done(
        request,
        _console_url(chat),
        "Supervisors have been alerted and can read this chat now. "
        "Carry on with the person as you judge best.",
        escalation=escalation.id,
    )


@require_GET
@staff_required
def chat_messages(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Polling fallback for when the console's socket cannot connect."""
    chat = _chat(request, public_id, read_in=True)
    after_seq = whole_number(request.GET.get("after", "0")) or 0
    found = chat.messages.filter(seq__gt=after_seq).select_related("staff").order_by("seq")
    return JsonResponse(
        {
            "chat": chat.public_id.hex,
            "status": chat.status,
            "last_seq": chat.last_seq,
            "messages": [m.as_event() for m in found],
        }
    )


# --- wrap-up --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def wrap_up(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id)
    if hasattr(chat, "wrap_up"):
        messages.info(request, "That chat has already been wrapped up.")
        return redirect(_console_url())
    if chat.status != Status.ENDED:
        messages.info(request, "A chat can be wrapped up once it has ended.")
        return redirect(_console_url(chat))
    form = WrapUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_wrap_up(chat, request.profile, form.answers())
        except ChatError as error:
            form.add_error(None, error.message)
        else:
            still_due = len(wrap_ups_due(request.profile))
            messages.success(
                request,
                "Wrap-up saved. Thank you."
                + (
                    f" {still_due} more to do before new chats."
                    if still_due
                    else " You can take new chats again."
                ),
            )
            return redirect(_console_url())
    return render(
        request,
        "helpline/staff/wrap_up.html",
        {
            "chat": chat,
            "ref": chat_ref(chat),
            "form": form,
            "transcript": _transcript(chat),
            "supervisor": request.supervisor,
        },
        status=400 if form.is_bound else 200,
    )


# --- supervisors ----------------------------------------------------------------------------


def _on_duty() -> list[dict[str, object]]:
    """Everyone not offline, anyone still holding a live chat, and first of all anyone whose connection
    was lost (every page of theirs fell silent and their chats went back to the queue): a supervisor
    checks on them first."""
    people = list(
        StaffProfile.objects.filter(
            ~Q(availability=Availability.OFFLINE)
            | Q(chats__status=Status.ACTIVE)
            | Q(connection_lost_at__isnull=False)
        )
        .distinct()
        .order_by(F("connection_lost_at").desc(nulls_last=True), "display_name", "id")
    )
    ids = [p.id for p in people]
    loads = selectors.staff_loads(ids)
    due = selectors.staff_with_wrap_up_due(ids)
    return [
        {
            "id": p.id,
            "name": p.display_name,
            "availability": "lost" if p.connection_lost_at else p.availability,
            "availability_label": (
                f"Connection lost at {_clock(p.connection_lost_at)}: their chats went back to the queue"
                if p.connection_lost_at
                else Availability(p.availability).label
            ),
            "chats": loads.get(p.id, 0),
            "max_chats": p.max_chats,
            "wrap_up_due": p.id in due,
        }
        for p in people
    ]


def _clock(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def board_state() -> dict[str, object]:
    """What templates/helpline/staff/_board_state.html draws (the queue is in the page header)."""
    escalations = Escalation.objects.filter(decision="").select_related("session", "raised_by")
    live = ChatSession.objects.filter(status=Status.ACTIVE).select_related("staff").order_by("answered_at")
    return {
        "on_duty": _on_duty(),
        "escalations": [
            {
                "id": e.id,
                "chat": e.session.public_id.hex,
                "ref": chat_ref(e.session),
                "url": reverse("staff-transcript", args=[e.session.public_id]),
                "reason": e.get_reason_display(),
                "raised_by": e.raised_by.display_name if e.raised_by else "",
                "raised_at": e.raised_at.isoformat(),
                "raised_at_label": _clock(e.raised_at),
                "chat_status": STATUS_LABELS[e.session.status],
            }
            for e in escalations
        ],
        "live": [
            {
                "chat": chat.public_id.hex,
                "ref": chat_ref(chat),
                "url": reverse("staff-transcript", args=[chat.public_id]),
                "language_name": language_name(chat.language),
                "staff": chat.staff.display_name if chat.staff else "",
                "answered_at": chat.answered_at.isoformat() if chat.answered_at else "",
                "answered_at_label": _clock(chat.answered_at),
                "escalated": chat.escalated,
            }
            for chat in live
        ],
    }


@require_GET
@supervisor_required
def supervisor_board(request: StaffRequest) -> HttpResponse:
    return render(
        request, "helpline/staff/supervisor.html", {**board_state(), "placeholder_id": PLACEHOLDER_ID}
    )


@require_GET
@supervisor_required
def supervisor_state(request: StaffRequest) -> HttpResponse:
    """The board's live regions as the page draws them, for its script to swap in."""
    return render(request, "helpline/staff/_board_state.html", board_state())


@require_GET
@staff_required
def transcript(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = _chat(request, public_id, read_in=True)
    return render(
        request,
        "helpline/staff/transcript.html",
        {
            "chat": chat,
            "ref": chat_ref(chat),
            "language_name": language_name(chat.language),
            "about": ABOUT_LABELS.get(chat.about, ""),
            "status_label": STATUS_LABELS[chat.status],
            "transcript": _transcript(chat),
            "escalations": list(chat.escalations.select_related("raised_by", "decided_by")),
            "decisions": Escalation.Decision.choices,
            "supervisor": request.supervisor,
            "own": chat.staff_id == request.profile.id,
        },
    )


@require_POST
@supervisor_required
def decide(request: StaffRequest, escalation_id: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.select_related("session"), pk=escalation_id)
    chat = _chat(request, escalation.session.public_id, read_in=True)
    back = reverse("staff-transcript", args=[chat.public_id])
    try:
        actions.decide_escalation(escalation, request.profile, request.POST.get("decision", ""))
    except ChatError as error:
        return _refused(request, error, back)
    return _done(request, back, "The decision has been recorded.")
