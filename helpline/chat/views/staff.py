"""The staff console: offers, live chats, ending, transfers, escalations and the wrap-up (the board and
transcripts are in supervisor.py).

Every view opens with one helper that loads what it needs and checks access (a chat that is not
yours is a 404, whether or not it exists). State changes go through the actions only (the chat's, and
the staff room's for availability); a Refusal's words are shown to the person as they are. Each POST
answers JSON when asked for it (the console's script) and otherwise redirects back, so the console
also works as plain forms.
"""

from __future__ import annotations

from typing import Any, ParamSpec
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.chat import access as chat_access
from helpline.chat import actions as chat_actions
from helpline.chat.forms import WrapUpForm
from helpline.chat.presenters import (
    chat_cards,
    offer_cards,
    transcript_of,
    wrap_ups_due,
)
from helpline.errors import Refusal, refusal_json, wants_json
from helpline.models import (
    CannedResponse,
    ChatSession,
    Escalation,
    Message,
)
from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff.access import StaffRequest, refusals_go_back, staff_required
from helpline.text_input import whole_number

P = ParamSpec("P")
Status = ChatSession.Status
# Stands in for a chat's id in the transcript address the staff pages' script fills in for an
# escalation it hears of over the socket (the event carries the chat's hex id only).
PLACEHOLDER_ID = UUID(int=0)


# --- access ---------------------------------------------------------------------------------


def staff_chat(request: StaffRequest, public_id: UUID, *, read_in: bool = False) -> ChatSession:
    """A chat offered to or held by this person; with read_in, also what a supervisor may read."""
    return chat_access.access_staff_chat(
        request.profile, str(public_id), supervisor=read_in and request.supervisor
    )


# --- answers --------------------------------------------------------------------------------


def _console_url(chat: ChatSession | None = None) -> str:
    """The console, scrolled to a chat's panel when one is named."""
    url = reverse("staff-console")
    return f"{url}#chat-{chat.public_id.hex}" if chat else url


def _back_to_console(request: StaffRequest, public_id: UUID) -> str:
    return f"{_console_url()}#chat-{public_id.hex}"


def _back_to_console_top(request: StaffRequest, public_id: UUID) -> str:
    return _console_url()


def _back_to_page(request: StaffRequest) -> str:
    # Availability is set from the header of any staff page: without JavaScript, back to that page.
    back = request.POST.get("next", "")
    if not back.startswith("/staff/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return reverse("staff-console")
    return back


# --- what the console shows -----------------------------------------------------------------


def console_state(
    request: StaffRequest,
    *,
    drafts: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    with_messages: bool = True,
) -> dict[str, Any]:
    """What templates/helpline/staff/_console_state.html draws: offers, chats and wrap-ups due.
    Availability and the queue are in the page header (helpline.chat.views.shell), not here."""
    profile = request.profile
    cards = chat_cards(profile, drafts or {}, errors or {}, with_messages=with_messages)
    return {
        "profile": profile,
        "supervisor": request.supervisor,
        "offers": offer_cards(profile),
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
    return render(request, "helpline/chat/staff/console.html", context, status=status)


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
        response = render(request, "helpline/chat/staff/_console_state.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


@require_POST
@staff_required
@refusals_go_back(to=_back_to_page)
def availability(request: StaffRequest) -> HttpResponse:
    profile = staff_actions.do_set_availability(request.profile, request.POST.get("availability", ""))
    return staff_access.done(request, _back_to_page(request), availability=profile.availability)


@require_POST
@staff_required
@refusals_go_back(to=_back_to_console_top)
def accept(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    chat_actions.do_accept_offer(chat, request.profile)
    return staff_access.done(request, _console_url(chat), chat=chat.public_id.hex)


@require_POST
@staff_required
def decline(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    if not chat_actions.do_decline_offer(chat, request.profile):
        return staff_access.refused(
            request, Refusal("offer_gone", gettext("This chat is no longer offered to you.")), _console_url()
        )
    return staff_access.done(
        request, _console_url(), gettext("The chat went back to the front of the queue.")
    )


@require_POST
@staff_required
def send(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    body = request.POST.get("body", "")
    try:
        message = chat_actions.do_send_message(chat, Message.Sender.STAFF, body, request.profile)
    except Refusal as error:
        if wants_json(request):
            return refusal_json(error)
        # Show the console again with the words still in the box: nothing typed is lost.
        hex_id = chat.public_id.hex
        return _render_console(request, drafts={hex_id: body}, errors={hex_id: error.message}, status=400)
    return staff_access.done(request, _console_url(chat), message=message.as_event(), chat=chat.public_id.hex)


@require_POST
@staff_required
@refusals_go_back(to=_back_to_console)
def end(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    chat_actions.do_end_chat(chat, by_staff=request.profile)
    wrap_up_url = reverse("staff-wrap-up", args=[chat.public_id])
    if any(due.pk == chat.pk for due in wrap_ups_due(request.profile)):
        return staff_access.done(
            request,
            wrap_up_url,
            gettext("The chat has ended. Please complete the wrap-up."),
            wrap_up_url=wrap_up_url,
        )
    return staff_access.done(request, _console_url(), gettext("The chat has ended."))


@require_POST
@staff_required
@refusals_go_back(to=_back_to_console)
def close_left(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Close a live chat whose seeker has left the page, with the short wrap-up if they never wrote."""
    chat = staff_chat(request, public_id)
    closed = chat_actions.do_close_chat_seeker_left(chat, request.profile)
    if closed.wrapped_up:
        return staff_access.done(
            request, _console_url(), gettext("Chat closed and recorded as “left before answering”.")
        )
    wrap_up_url = reverse("staff-wrap-up", args=[chat.public_id])
    return staff_access.done(
        request,
        wrap_up_url,
        gettext("Chat closed. Please complete the wrap-up."),
        wrap_up_url=wrap_up_url,
    )


@require_POST
@staff_required
@refusals_go_back(to=_back_to_console)
def transfer(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    colleague = chat_access.transfer_target(request.POST.get("to", "queue"))
    chat_actions.do_transfer_chat(chat, request.profile, colleague, request.POST.get("note", ""))
    if colleague is None:
        notice = gettext("The chat went back to the front of the queue for the next free colleague.")
    else:
        notice = gettext("The chat has been offered to %(name)s.") % {"name": colleague.display_name}
    return staff_access.done(request, _console_url(), notice)


@require_POST
@staff_required
@refusals_go_back(to=_back_to_console)
def escalate(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    escalation = chat_actions.do_escalate(chat, request.profile, request.POST.get("reason", ""))
    return staff_access.done(
        request,
        _console_url(chat),
        gettext(
            "Supervisors have been alerted and can read this chat now. "
            "Carry on with the person as you judge best."
        ),
        escalation=escalation.id,
    )


@require_GET
@staff_required
def chat_messages(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Polling fallback for when the console's socket cannot connect."""
    chat = staff_chat(request, public_id, read_in=True)
    after_seq = whole_number(request.GET.get("after", "0")) or 0
    found = chat.messages.filter(seq__gt=after_seq).select_related("staff").order_by("seq")
    return JsonResponse(
        {
            "chat": chat.public_id.hex,
            "status": chat.status,
            "last_seq": chat.last_seq,
            "messages": [m.as_event() for m in found],
            # Private notes (few): for staff only; the seeker's poll has none (views/seeker.py).
            "notes": [note.as_event() for note in chat.staff_notes.select_related("author")],
        }
    )


# --- wrap-up --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def wrap_up(request: StaffRequest, public_id: UUID) -> HttpResponse:
    chat = staff_chat(request, public_id)
    if hasattr(chat, "wrap_up"):
        messages.info(request, gettext("That chat has already been wrapped up."))
        return redirect(_console_url())
    if chat.status != Status.ENDED:
        messages.info(request, gettext("A chat can be wrapped up once it has ended."))
        return redirect(_console_url(chat))
    form = WrapUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chat_actions.do_record_wrap_up(chat, request.profile, form.answers())
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            still_due = len(wrap_ups_due(request.profile))
            if still_due:
                notice = ngettext(
                    "Wrap-up saved. Thank you. %(count)s more to do before new chats.",
                    "Wrap-up saved. Thank you. %(count)s more to do before new chats.",
                    still_due,
                ) % {"count": still_due}
            else:
                notice = gettext("Wrap-up saved. Thank you. You can take new chats again.")
            messages.success(request, notice)
            return redirect(_console_url())
    return render(
        request,
        "helpline/chat/staff/wrap_up.html",
        {
            "chat": chat,
            "ref": chat.ref,
            "form": form,
            "transcript": transcript_of(chat),
            "supervisor": request.supervisor,
        },
        status=400 if form.is_bound else 200,
    )
