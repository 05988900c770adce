"""The seeker's chat pages. They work with JavaScript off: plain form posts, and a small frame that
refreshes itself with the queue position and the conversation. With JavaScript on, static/js/chat.js
takes over the same page and talks over a WebSocket instead.

Opening hours shape what the pages offer: outside them, or too close to closing, no new chat starts
and a secure message is offered instead; a long wait or nobody on duty is said plainly before anyone
joins the queue, and again to those already waiting."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from config.privacy import rate_limit_key
from helpline import actions, schedules, selectors, texts
from helpline.models import ChatSession, Message, hash_token


class StartChatForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, initial="en", label="Language")
    about = forms.ChoiceField(
        choices=ChatSession.About.choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        label="Is this about you or someone else? (optional)",
    )


def chat_rate(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMITS["chat_start"]


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def seeker_chat(request: HttpRequest) -> ChatSession | None:
    return selectors.access_seeker_chat(request.COOKIES.get(settings.SEEKER_COOKIE_NAME))


def forget_token(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(settings.SEEKER_COOKIE_NAME, path="/chat/", samesite="Strict")
    return response


@require_safe
@never_cache
def chat(request: HttpRequest) -> HttpResponse:
    if seeker_chat(request) is not None:
        return redirect("chat-session")
    outlooks = schedules.chat_outlooks()
    context = start_context(start_form(outlooks), outlooks)
    if context["closed"]:
        actions.note_closed_visit()
    response = render(request, "helpline/chat_start.html", context)
    if settings.SEEKER_COOKIE_NAME in request.COOKIES:
        forget_token(response)  # a token for a chat that has ended: leave nothing behind
    return response


def start_form(outlooks: list[schedules.ChatOutlook], data: object = None) -> StartChatForm:
    form = StartChatForm(data)  # type: ignore[arg-type]
    if schedules.hours_configured():
        # Only languages with live chat hours; a closed one is explained when chosen.
        form.fields["language"].choices = [(o.language, o.name) for o in outlooks]  # type: ignore[attr-defined]
        if outlooks and not any(o.language == settings.LANGUAGE_CODE for o in outlooks):
            form.fields["language"].initial = outlooks[0].language
    return form


def start_context(
    form: StartChatForm, outlooks: list[schedules.ChatOutlook], *, offer_secure: bool = False
) -> dict[str, object]:
    configured = schedules.hours_configured()
    return {
        "form": form,
        "statement": texts.CONFIDENTIALITY_STATEMENT,
        "overview": selectors.queue_overview(),
        "hours_configured": configured,
        "outlooks": outlooks,
        "closed": configured and not any(o.taking_chats for o in outlooks),
        "warnings": [o for o in outlooks if o.warning],
        "timetables": [(o, schedules.weekly_timetable(o.language)) for o in outlooks] if configured else [],
        "offer_secure": offer_secure,
        "secure_reply_days": settings.HELPLINE["SECURE_REPLY_TARGET_WORKING_DAYS"],
        "last_chat_minutes": settings.HELPLINE["LAST_CHAT_MINUTES_BEFORE_CLOSING"],
        "time_zone_label": settings.TIME_ZONE.split("/")[-1].replace("_", " "),
    }


@require_POST
@never_cache
@ratelimit(key=rate_limit_key, rate=chat_rate, block=True)
def chat_start(request: HttpRequest) -> HttpResponse:
    if seeker_chat(request) is not None:
        return redirect("chat-session")
    outlooks = schedules.chat_outlooks()
    form = start_form(outlooks, request.POST)
    if not form.is_valid():
        return render(request, "helpline/chat_start.html", start_context(form, outlooks), status=400)
    try:
        _chat, token = actions.check_start_session(
            form.cleaned_data["language"], form.cleaned_data["about"] or ""
        )
    except actions.ChatError as error:
        form.add_error(None, error.message)
        context = start_context(form, outlooks, offer_secure=error.code in ("closed", "full"))
        return render(request, "helpline/chat_start.html", context, status=400)
    response = redirect("chat-session")
    response.set_cookie(
        settings.SEEKER_COOKIE_NAME,
        token,
        max_age=settings.HELPLINE["SEEKER_TOKEN_MAX_AGE_SECONDS"],
        path="/chat/",
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def session_context(chat: ChatSession) -> dict[str, object]:
    context: dict[str, object] = {
        "chat": chat,
        "messages": list(chat.messages.select_related("staff").order_by("seq")),
        "refresh_seconds": settings.HELPLINE["NO_JS_REFRESH_SECONDS"],
        "max_length": settings.HELPLINE["MESSAGE_MAX_LENGTH"],
    }
    if chat.status == ChatSession.Status.WAITING:
        context["position"] = selectors.queue_position(chat)
        context["estimate"] = estimate = selectors.wait_estimate(chat)
        context["queue_notice"] = schedules.waiting_notice(chat, estimate)
    if chat.status == ChatSession.Status.ACTIVE and chat.staff:
        context["staff_name"] = chat.staff.display_name
    return context


@require_safe
@never_cache
def chat_session(request: HttpRequest) -> HttpResponse:
    chat = seeker_chat(request)
    if chat is None:
        return redirect("chat-ended")
    actions.check_in_seeker(chat)
    return render(request, "helpline/chat_session.html", session_context(chat))


@require_safe
@never_cache
@xframe_options_sameorigin
def chat_live(request: HttpRequest) -> HttpResponse:
    """The self-refreshing frame inside the chat page, for browsers without JavaScript."""
    chat = seeker_chat(request)
    if chat is None:
        response = render(request, "helpline/chat_live_ended.html")
    else:
        actions.check_in_seeker(chat)
        response = render(request, "helpline/chat_live.html", session_context(chat))
    # This one page may be framed, by our own chat page only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    return response


@require_safe
@never_cache
def chat_poll(request: HttpRequest) -> HttpResponse:
    """JSON for the script's fallback when a WebSocket cannot be opened."""
    chat = seeker_chat(request)
    if chat is None:
        return JsonResponse({"status": ChatSession.Status.ENDED, "messages": []})
    actions.check_in_seeker(chat)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    data: dict[str, object] = {
        "status": chat.status,
        "last_seq": chat.last_seq,
        "messages": [m.as_event() for m in chat.messages.filter(seq__gt=after).select_related("staff")],
    }
    if chat.status == ChatSession.Status.WAITING:
        data["position"] = selectors.queue_position(chat)
        data["estimate"] = selectors.wait_estimate(chat).as_event()
    if chat.status == ChatSession.Status.ACTIVE and chat.staff:
        data["staff"] = chat.staff.display_name
    return JsonResponse(data)


@require_safe
@never_cache
def chat_notice(request: HttpRequest) -> HttpResponse:
    """For static/js/secure-queue-notice.js: closing time and long waits for someone in the queue
    (the live socket carries the position; this changes slowly, so the script asks now and then)."""
    chat = seeker_chat(request)
    notice = ""
    if chat is not None and chat.status == ChatSession.Status.WAITING:
        notice = schedules.waiting_notice(chat, selectors.wait_estimate(chat))
    return JsonResponse({"notice": notice})


@require_POST
@never_cache
def chat_send(request: HttpRequest) -> HttpResponse:
    chat = seeker_chat(request)
    if chat is None:
        if wants_json(request):
            return JsonResponse({"error": "This chat has ended, so the message was not sent."}, status=410)
        return redirect("chat-ended")
    body = request.POST.get("body", "")
    try:
        message = actions.send_message(chat, Message.Sender.SEEKER, body, client_ref=request.POST.get("ref"))
    except actions.ChatError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message, "code": error.code}, status=400)
        context = session_context(chat)
        context.update({"error": error.message, "draft": body})
        return render(request, "helpline/chat_session.html", context, status=400)
    if wants_json(request):
        return JsonResponse({"seq": message.seq})
    return HttpResponseRedirect(reverse("chat-session") + "#message-box")


@require_POST
@never_cache
def chat_end(request: HttpRequest) -> HttpResponse:
    chat = seeker_chat(request)
    if chat is not None:
        actions.end_chat(chat)
    if wants_json(request):
        return forget_token(JsonResponse({"status": ChatSession.Status.ENDED}))
    return forget_token(redirect("chat-ended"))


@require_safe
@never_cache
def chat_ended(request: HttpRequest) -> HttpResponse:
    ended = ended_reason(request.COOKIES.get(settings.SEEKER_COOKIE_NAME))
    response = render(
        request, "helpline/chat_ended.html", {"closed_while_waiting": ended == ChatSession.EndReason.CLOSED}
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
