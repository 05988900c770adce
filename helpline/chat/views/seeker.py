"""The seeker's chat pages. They work with JavaScript off: plain form posts, and a small frame that
refreshes itself with the queue position and the conversation. With JavaScript on, static/js/chat.js
takes over the same page and talks over a WebSocket instead.

The end of a conversation belongs to the seeker: when a chat ends, the page stays where it is, with the
closing words, anything they had typed and not sent, and what they can do next (a new chat, a secure
message, self-help), a copy they may keep and three optional questions. The ended chat stays readable
in the browser that held it until they leave it (see keep_until_browser_closes).

Where a chat starts is helpline/chat/views/start.py; these pages carry it on, in the chat's language."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from helpline.campaigns.visits import campaign_of_visit
from helpline.chat import access as chat_access
from helpline.chat import actions as chat_actions
from helpline.chat import queue, texts, triage
from helpline.errors import Refusal, wants_json
from helpline.hours import schedules
from helpline.models import ChatSession, Message, hash_token
from helpline.text_input import whole_number

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def speaks_the_chats_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The chat pages have no language prefix (one cookie, path /chat/, finds the chat): each speaks
    the chat's own language, whatever the browser asks for. With no chat (closed, deleted on schedule),
    /chat/ended/ keeps the one its address carries (?lang=, from our own redirect), else the browser's
    (LocaleMiddleware has chosen it from Accept-Language)."""

    @functools.wraps(view)
    def in_the_chats_language(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        language = chat_access.seeker_chat_language(request.COOKIES.get(settings.SEEKER_COOKIE_NAME))
        if language not in LANGUAGE_CODES:
            asked = request.GET.get("lang", "")
            language = asked if asked in LANGUAGE_CODES else translation.get_language()
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        response.headers["Content-Language"] = language
        return response

    return in_the_chats_language


def to_ended_page(request: HttpRequest) -> HttpResponse:
    """/chat/ended/ has no chat to ask by then: its address carries the language the chat spoke, unless
    the browser would choose that one by itself anyway."""
    language = translation.get_language()
    if language == translation.get_language_from_request(request):
        return HttpResponseRedirect(reverse("chat-ended"))
    return HttpResponseRedirect(f"{reverse('chat-ended')}?lang={language}")


def seeker_chat(request: HttpRequest) -> ChatSession | None:
    return chat_access.access_seeker_chat(request.COOKIES.get(settings.SEEKER_COOKIE_NAME))


def seeker_chat_to_read(request: HttpRequest) -> ChatSession | None:
    """The chat this browser holds, open or ended (until the retention purge deletes it)."""
    return chat_access.access_seeker_chat(request.COOKIES.get(settings.SEEKER_COOKIE_NAME), ended_too=True)


def forget_token(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(settings.SEEKER_COOKIE_NAME, path="/chat/", samesite="Strict")
    return response


def keep_until_browser_closes(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Once a chat has ended, its token stays so the person can read how it ended, keep a copy or answer
    the questions, and no longer than that: it becomes a session cookie, which the browser drops when it
    closes (Tor Browser at the end of every session), and it is forgotten at once when they close the
    conversation or start a new chat. Before, it was deleted as the chat ended, which took the closing
    words away from the person mid-sentence. Only this browser holds the token; the server keeps
    nothing new (chat_access.access_seeker_chat says why this keeps the promise)."""
    token = request.COOKIES.get(settings.SEEKER_COOKIE_NAME)
    if token:
        response.set_cookie(
            settings.SEEKER_COOKIE_NAME,
            token,
            path="/chat/",
            httponly=True,
            samesite="Strict",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


FEEDBACK_ANSWER_ERROR = _("Please choose yes, not sure or no, or leave this question out.")


class FeedbackForm(forms.Form):
    """Three optional questions (helpline.chat.texts.FEEDBACK_QUESTIONS), each yes / not sure / no."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, question in texts.FEEDBACK_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                choices=texts.FEEDBACK_ANSWERS,
                required=False,
                widget=forms.RadioSelect,
                label=question,
                error_messages={"invalid_choice": FEEDBACK_ANSWER_ERROR},
            )


def session_context(chat: ChatSession, *, feedback_form: FeedbackForm | None = None) -> dict[str, object]:
    ended = chat.status == ChatSession.Status.ENDED
    context: dict[str, object] = {
        "chat": chat,
        "messages": list(chat.messages.select_related("staff").order_by("seq")),
        "refresh_seconds": settings.HELPLINE["NO_JS_REFRESH_SECONDS"],
        "max_length": settings.HELPLINE["MESSAGE_MAX_LENGTH"],
        "ended": ended,
        "ended_words": texts.ENDED_REASONS.get(chat.end_reason, "") if ended else "",
        "closed_while_waiting": chat.end_reason == ChatSession.EndReason.CLOSED,
        "ended_stays": texts.ENDED_STAYS,
        "cannot_send": texts.ENDED_CANNOT_SEND,
        "copy_warning": texts.KEEP_A_COPY_WARNING,
        "copy_name": copy_filename(chat),
        "copy_note": texts.COPY_FILE_NOTE,
        # Questions about a conversation, so only once someone has joined.
        "offer_feedback": chat.answered_at is not None,
        "feedback_form": feedback_form or FeedbackForm(),
        "feedback_thanks": texts.FEEDBACK_THANKS,
        "retention_hours": settings.HELPLINE["CHAT_RETENTION_HOURS"],
    }
    if chat.is_open:
        # What to do right now, for someone who said at the start they are not safe or a child is in
        # danger: on the page from the first moment, with JavaScript or without.
        context["crisis_help"] = triage.crisis_help(chat)
    if chat.status == ChatSession.Status.WAITING:
        context["position"] = queue.queue_position(chat)
        context["estimate"] = estimate = queue.wait_estimate(chat)
        context["queue_notice"] = schedules.waiting_notice(chat, estimate)
    if chat.status == ChatSession.Status.ACTIVE and chat.staff:
        context["staff_name"] = chat.staff.display_name
    return context


def render_session(
    request: HttpRequest, chat: ChatSession, context: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    response = render(request, "helpline/chat/session.html", context or session_context(chat), status=status)
    return response if chat.is_open else keep_until_browser_closes(request, response)


@require_safe
@never_cache
@speaks_the_chats_language
def chat_session(request: HttpRequest) -> HttpResponse:
    chat = seeker_chat_to_read(request)
    if chat is None:
        return to_ended_page(request)
    if chat.is_open:
        chat_actions.check_in_seeker(chat)
    return render_session(request, chat)


@require_safe
@never_cache
@xframe_options_sameorigin
@speaks_the_chats_language
def chat_live(request: HttpRequest) -> HttpResponse:
    """The self-refreshing frame inside the chat page, for browsers without JavaScript."""
    chat = seeker_chat_to_read(request)
    if chat is None:
        response = render(request, "helpline/chat/live_ended.html")
    elif chat.is_open:
        chat_actions.check_in_seeker(chat)
        response = render(request, "helpline/chat/live.html", session_context(chat))
    else:
        response = keep_until_browser_closes(
            request, render(request, "helpline/chat/live.html", session_context(chat))
        )
    # This one page may be framed, by our own chat page only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    return response


@require_safe
@never_cache
@speaks_the_chats_language
def chat_poll(request: HttpRequest) -> HttpResponse:
    """JSON for the script's fallback when a WebSocket cannot be opened, and its last look once a chat
    has ended: anything it missed, and the end of the page drawn here (the status and what comes next)."""
    chat = seeker_chat_to_read(request)
    if chat is None:
        return JsonResponse({"status": ChatSession.Status.ENDED, "messages": []})
    if chat.is_open:
        # This is also how a page catches up on what a Redis restart kept from it: while Redis is
        # down the check-in is lost (presence reads a missing one as not known), the answer is not.
        chat_actions.check_in_seeker(chat)
    after = whole_number(request.GET.get("after", "0")) or 0
    data: dict[str, object] = {
        "status": chat.status,
        "last_seq": chat.last_seq,
        "messages": [m.as_event() for m in chat.messages.filter(seq__gt=after).select_related("staff")],
    }
    if chat.status == ChatSession.Status.WAITING:
        data["position"] = queue.queue_position(chat)
        data["estimate"] = queue.wait_estimate(chat).as_event()
    if chat.status == ChatSession.Status.ACTIVE and chat.staff:
        data["staff"] = chat.staff.display_name
    if not chat.is_open:
        context = session_context(chat)
        data["status_html"] = render_to_string("helpline/chat/_status.html", context, request)
        data["after_html"] = render_to_string("helpline/chat/after.html", context, request)
        return keep_until_browser_closes(request, JsonResponse(data))
    return JsonResponse(data)


@require_safe
@never_cache
@speaks_the_chats_language
def chat_notice(request: HttpRequest) -> HttpResponse:
    """For static/js/secure-queue-notice.js: closing time and long waits for someone in the queue
    (the live socket carries the position; this changes slowly, so the script asks now and then)."""
    chat = seeker_chat(request)
    notice = ""
    if chat is not None and chat.status == ChatSession.Status.WAITING:
        notice = schedules.waiting_notice(chat, queue.wait_estimate(chat))
    return JsonResponse({"notice": notice})


@require_POST
@never_cache
@speaks_the_chats_language
def chat_send(request: HttpRequest) -> HttpResponse:
    chat = seeker_chat_to_read(request)
    if chat is None:
        if wants_json(request):
            return JsonResponse(
                {"error": gettext("This chat has ended, so the message was not sent.")}, status=410
            )
        return to_ended_page(request)
    body = request.POST.get("body", "")
    try:
        if not chat.is_open:
            raise Refusal("ended", str(texts.ENDED_NOT_SENT))
        message = chat_actions.do_send_message(
            chat, Message.Sender.SEEKER, body, client_ref=request.POST.get("ref")
        )
    except Refusal as error:
        chat.refresh_from_db()
        # Ended in the meantime (the frame may have said so while they typed): the whole end of the
        # conversation, with their words still in the box.
        ended = not chat.is_open
        message_text = str(texts.ENDED_NOT_SENT) if ended else error.message
        status = 409 if ended else 400
        if wants_json(request):
            return JsonResponse(
                {"error": message_text, "code": "ended" if ended else error.code}, status=status
            )
        context = session_context(chat)
        context.update({"error": message_text, "draft": body})
        return render_session(request, chat, context, status=status)
    if wants_json(request):
        return JsonResponse({"seq": message.seq})
    # No #fragment: a jump to the form would push the conversation above the window on a phone.
    return redirect("chat-session")


@require_POST
@never_cache
@speaks_the_chats_language
def chat_end(request: HttpRequest) -> HttpResponse:
    """Ending asks once. With JavaScript the page asks and posts `step=yes`. Without it, "End chat" posts
    the message form here, so anything typed comes along: the question page carries it, and either
    answer brings the person back to their conversation (ended or not) with the words still in the box.
    The conversation stays: nothing is forgotten here (chat_close does that, when the person wants)."""
    chat = seeker_chat_to_read(request)
    if chat is None:
        if wants_json(request):
            return JsonResponse({"status": ChatSession.Status.ENDED})
        return to_ended_page(request)
    step = request.POST.get("step", "")
    draft = request.POST.get("body", "")
    if step == "yes" and chat.is_open:
        chat_actions.do_end_chat(chat)
        chat.refresh_from_db()
    elif step not in ("yes", "no") and chat.is_open:
        if wants_json(request):
            return JsonResponse(
                {"error": gettext("Please confirm that you want to end the chat.")}, status=400
            )
        context = {
            "chat": chat,
            "draft": draft,
            "position": queue.queue_position(chat) if chat.status == ChatSession.Status.WAITING else None,
        }
        return render(request, "helpline/chat/end_confirm.html", context)
    if wants_json(request):
        return JsonResponse({"status": chat.status})
    if draft:
        # Drawn here rather than redirected, so the words come back without being stored anywhere.
        context = session_context(chat)
        context["draft"] = draft
        return render_session(request, chat, context)
    return redirect("chat-session")


@require_POST
@never_cache
@speaks_the_chats_language
def chat_close(request: HttpRequest) -> HttpResponse:
    """The person leaves their ended conversation: this browser forgets it at once."""
    chat = seeker_chat(request)
    if chat is not None:  # still open: closing it is ending it, which asks first
        return redirect("chat-session")
    return forget_token(to_ended_page(request))


@require_POST
@never_cache
@speaks_the_chats_language
def chat_feedback(request: HttpRequest) -> HttpResponse:
    """Three optional answers at the end of an answered chat, kept only as daily counts. Without
    JavaScript a plain form post; the words the person had not sent ride along in a hidden field (they
    cannot be sent, but they are theirs), so the page comes back with them."""
    chat = seeker_chat_to_read(request)
    if chat is None:
        if wants_json(request):
            return JsonResponse({"error": gettext("This conversation is no longer here.")}, status=410)
        return to_ended_page(request)
    form = FeedbackForm(request.POST)
    error = ""
    status = 200
    if form.is_valid():
        try:
            chat_actions.do_record_seeker_feedback(chat, form.cleaned_data, campaign_of_visit(request))
        except Refusal as refused:
            error = refused.message
            status = 400 if refused.code == "empty_feedback" else 409
    else:
        status = 400
    draft = request.POST.get("draft", "")
    context = session_context(chat, feedback_form=form)
    context.update({"feedback_error": error, "draft": draft})
    if wants_json(request):
        html = render_to_string("helpline/chat/feedback.html", context, request)
        return JsonResponse({"html": html, "error": error}, status=status)
    if status == 200 and not draft:
        return HttpResponseRedirect(reverse("chat-session") + "#feedback")
    return render_session(request, chat, context, status=status)


def copy_filename(chat: ChatSession) -> str:
    # Plain, so a file found on a shared device says nothing about what it holds.
    return f"conversation-{timezone.localdate(chat.created_at):%Y-%m-%d}.txt"


def transcript_text(chat: ChatSession, messages: list[Message]) -> str:
    """The conversation as plain text: the same lines static/js/chat.js puts in the copy it makes."""
    day = timezone.localdate(chat.created_at)
    when = f"{day.day} {MONTHS[day.month]} {day.year}"
    lines = [gettext("Your conversation, %(date)s") % {"date": when}, str(texts.COPY_FILE_NOTE), ""]
    for message in messages:
        if message.sender == Message.Sender.SEEKER:
            who = gettext("You")
        elif message.sender == Message.Sender.STAFF and message.staff:
            who = message.staff.display_name
        else:
            who = gettext("Helpline")
        at = timezone.localtime(message.created_at)
        body = message.body.replace("\r\n", "\n").replace("\n", "\n    ")
        lines.append(f"[{at:%H:%M}] {who}: {body}")
    return "\n".join(lines) + "\n"


@require_safe
@never_cache
@speaks_the_chats_language
def chat_copy(request: HttpRequest) -> HttpResponse:
    """Keep a copy, for a browser without JavaScript: a text file made now from the messages this
    browser can already read. Nothing is stored for it. (With JavaScript the copy is made in the browser,
    from the page, and this is never asked for.)"""
    chat = seeker_chat_to_read(request)
    if chat is None:
        raise Http404
    messages = list(chat.messages.select_related("staff").order_by("seq"))
    response = HttpResponse(transcript_text(chat, messages), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{copy_filename(chat)}"'
    return response


@require_safe
@never_cache
@speaks_the_chats_language
def chat_ended(request: HttpRequest) -> HttpResponse:
    ended = ended_reason(request.COOKIES.get(settings.SEEKER_COOKIE_NAME))
    response = render(
        request, "helpline/chat/ended.html", {"closed_while_waiting": ended == ChatSession.EndReason.CLOSED}
    )
    if settings.SEEKER_COOKIE_NAME in request.COOKIES and seeker_chat(request) is None:
        forget_token(response)
    return response


def ended_reason(token: str | None) -> str:
    """Why the chat this browser held ended, so the page can say "we closed before anyone could
    answer" rather than a plain goodbye. The token is forgotten by the caller straight after."""
    if not token or len(token) > 200:
        return ""
    found = ChatSession.objects.filter(
        token_hash=hash_token(token), status=ChatSession.Status.ENDED
    ).values_list("end_reason", flat=True)
    return found.first() or ""
