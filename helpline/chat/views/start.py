"""Where a chat starts: /<language>/chat/, the form that joins the queue and its answer.

Opening hours shape what the page offers: outside them, or too close to closing, no new chat starts and
a secure message is offered instead; a long wait, or nobody on duty who speaks the language, is said
plainly before anyone joins the queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from helpline import limits
from helpline.campaigns.visits import campaign_of_visit
from helpline.chat import actions as chat_actions
from helpline.chat import queue, texts
from helpline.chat.triage import TRIAGE_CHOICES, about_of_topic
from helpline.chat.views.seeker import LANGUAGE_CODES, forget_token, seeker_chat
from helpline.errors import Refusal
from helpline.hours import schedules
from helpline.models import ChatSession


class StartChatForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, initial="en", label=_("Language"))
    # No longer shown: "What is it about?" below says who the chat is about too (one question, not two
    # that overlap). A start page loaded before that change still sends it, and it still counts.
    about = forms.ChoiceField(choices=ChatSession.About.choices, required=False, initial="")
    # Triage at the door (helpline.chat.triage): both optional, in plain words.
    triage = forms.MultipleChoiceField(
        choices=TRIAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Is any of these true right now? (optional)"),
        help_text=_("If so, we will show you at once what you can do while you wait, and answer you sooner."),
    )
    topic = forms.ChoiceField(
        choices=ChatSession.Topic.choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        label=_("What is it about? (optional)"),
    )


@require_safe
@never_cache
def chat(request: HttpRequest) -> HttpResponse:
    if seeker_chat(request) is not None:
        return redirect("chat-session")
    outlooks = schedules.chat_outlooks(language=translation.get_language())
    context = start_context(start_form(outlooks), outlooks)
    if context["closed"]:
        chat_actions.note_closed_visit(language=translation.get_language())
    response = render(request, "helpline/chat/start.html", context)
    if settings.SEEKER_COOKIE_NAME in request.COOKIES:
        forget_token(response)  # a token for a chat that has ended: leave nothing behind
    return response


def start_form(outlooks: list[schedules.ChatOutlook], data: object = None) -> StartChatForm:
    form = StartChatForm(data, initial={"language": translation.get_language()})  # type: ignore[arg-type]
    if schedules.hours_configured():
        # Only languages with live chat hours; a closed one is explained when chosen.
        form.fields["language"].choices = [(o.language, o.name) for o in outlooks]  # type: ignore[attr-defined]
        if outlooks and not any(o.language == translation.get_language() for o in outlooks):
            form.initial["language"] = outlooks[0].language
    return form


def start_context(
    form: StartChatForm, outlooks: list[schedules.ChatOutlook], *, offer_secure: bool = False
) -> dict[str, object]:
    configured = schedules.hours_configured()
    return {
        "form": form,
        "statement": texts.CONFIDENTIALITY_STATEMENT,
        "overview": queue.queue_overview(),
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
def chat_start(request: HttpRequest) -> HttpResponse:
    """/chat/start/ has no language prefix: the language chosen in the form is the one its answer speaks
    (and the chat's, from then on)."""
    asked = request.POST.get("language", "")
    language = asked if asked in LANGUAGE_CODES else translation.get_language()
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = start_chat(request, language)
    response.headers["Content-Language"] = language
    return response


def start_chat(request: HttpRequest, language: str) -> HttpResponse:
    if seeker_chat(request) is not None:
        return redirect("chat-session")
    outlooks = schedules.chat_outlooks(language=language)
    form = start_form(outlooks, request.POST)
    if not form.is_valid():
        return render(request, "helpline/chat/start.html", start_context(form, outlooks), status=400)
    try:
        # Many people can share this request's address: the limits count its chats still waiting and
        # its starts, not its people. limits.Paused becomes the 429 page (config.views.rate_limited).
        with limits.chat_start_allowance(request) as allowance:
            new_chat, token = chat_actions.do_start_chat_if_open(
                form.cleaned_data["language"],
                about_of_topic(form.cleaned_data["topic"] or "", said=form.cleaned_data["about"] or ""),
                campaign=campaign_of_visit(request),
                triage_answers=form.cleaned_data["triage"],
                topic=form.cleaned_data["topic"] or "",
            )
            allowance.started(new_chat)
    except Refusal as error:
        form.add_error(None, error.message)
        context = start_context(form, outlooks, offer_secure=error.code in ("closed", "full"))
        return render(request, "helpline/chat/start.html", context, status=400)
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
