"""Secure messages for seekers: write at any time, without an account, and come back with a passphrase.

The passphrase is shown once, in the answer to the first message, and kept nowhere: not in the
database (only keyed hashes, see helpline.inbox.passphrases), not in a cookie, not in a URL. It comes back
only in POST bodies, and every page that carries it is marked never to be cached. Wrong passphrases
are rate-limited by the opaque per-day key from config.privacy, and the words typed are never shown
back. Everything works with JavaScript off; static/js/secure-passphrase.js only adds a copy button.

Many people can share one address, so the words are always checked first: the right passphrase opens
whatever others on the same address typed. Only words that open nothing are counted (helpline.limits).
"""

from __future__ import annotations

import hashlib
from datetime import date, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from config.views import wait_words
from helpline import limits
from helpline.campaigns.visits import campaign_of_visit
from helpline.errors import Refusal
from helpline.hours import schedules
from helpline.inbox import actions as inbox_actions
from helpline.inbox import queries
from helpline.models import SecureThread

NOT_OPENED = gettext_lazy(
    "Those words did not open a conversation. Please check each word and try again; capital letters "
    "and the spaces between words do not matter."
)
TOO_MANY_TRIES = gettext_lazy(
    "Those words did not open a conversation. A lot of passphrases that open nothing have been tried "
    "from your internet connection lately. Many people can share one connection, so this may have nothing "
    "to do with you. Your own passphrase still opens your conversation at any time: please check each "
    "word and try again. Nothing you wrote has been lost."
)
TOO_MANY_MESSAGES = gettext_lazy(
    "A lot of messages have been sent from your internet connection in a short time, so we have paused "
    "this one. Many people can share one connection, so this may have nothing to do with you. Your words "
    "are still in the box below: please send them again in %(wait)s."
)
# How long a form's one-time id is remembered, to notice a second submission of the same page.
DRAFT_MEMORY_SECONDS = 6 * 60 * 60


# --- helpers ----------------------------------------------------------------------------------


def too_many_messages(sent: limits.Window) -> str:
    return TOO_MANY_MESSAGES % {"wait": wait_words(sent.resets_in)}


def paused(response: HttpResponse, window: limits.Window) -> HttpResponse:
    """A 429 answer that says, for programs too, when the window ends."""
    response["Retry-After"] = str(window.resets_in)
    return response


def first_submission(draft_id: str) -> bool:
    """True the first time a form's one-time id is seen: a reload that re-posts the same page does not
    send the same words twice. The id is random per page and says nothing about anyone."""
    if not draft_id or len(draft_id) > 64:
        return True
    key = "secure:draft:" + hashlib.sha256(draft_id.encode()).hexdigest()
    return bool(cache.add(key, 1, timeout=DRAFT_MEMORY_SECONDS))


def forget_submission(draft_id: str) -> None:
    if draft_id and len(draft_id) <= 64:
        cache.delete("secure:draft:" + hashlib.sha256(draft_id.encode()).hexdigest())


def new_draft_id() -> str:
    return get_random_string(32)


def deletion_day(thread: SecureThread) -> date:
    """The day the thread is deleted, as the templates write it in the page's language ("l j F Y")."""
    return timezone.localtime(thread.delete_after).date()


def due_day(thread: SecureThread) -> date | None:
    """The day a reply is due by, in the service's time zone: a due instant at local midnight is the end
    of the day before (as helpline.hours.rules.due_words has it). A date, not words, so the templates
    write it in the page's language ("l j F")."""
    if thread.reply_due_at is None:
        return None
    local = thread.reply_due_at.astimezone(schedules.service_tz())
    if local.time() == time(0):
        local -= timedelta(minutes=1)
    return local.date()


def rules() -> dict[str, object]:
    helpline = settings.HELPLINE
    return {
        "reply_days": helpline["SECURE_REPLY_TARGET_WORKING_DAYS"],
        "retention_days": helpline["SECURE_THREAD_RETENTION_DAYS"],
        "max_length": helpline["SECURE_MESSAGE_MAX_LENGTH"],
        "languages": settings.LANGUAGES,
    }


def home_context(**extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        **rules(),
        "draft_id": new_draft_id(),
        # A reply in the language the page is read in, unless the person picks another.
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "body": "",
        "new_error": "",
        "open_error": "",
    }
    context.update(extra)
    return context


def thread_context(thread: SecureThread, passphrase: str, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        **rules(),
        "thread": thread,
        "messages": queries.thread_messages(thread),
        "passphrase": passphrase,
        "deleted_on": deletion_day(thread),
        "due": due_day(thread),
        "overdue": thread.is_overdue(),
        "draft_id": new_draft_id(),
        "body": "",
        "error": "",
        "notice": "",
    }
    context.update(extra)
    return context


# --- views ------------------------------------------------------------------------------------


@require_safe
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "helpline/inbox/seeker/home.html", home_context())


@require_http_methods(["GET", "POST"])
@never_cache
def create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("secure-home")
    body = request.POST.get("body", "")
    language = request.POST.get("language", translation.get_language() or settings.LANGUAGE_CODE)
    draft_id = request.POST.get("draft", "")
    keep = {"body": body, "language": language, "draft_id": draft_id or new_draft_id()}
    sent = limits.count_secure_message(request)
    if sent.exceeded:
        context = home_context(new_error=too_many_messages(sent), **keep)
        return paused(render(request, "helpline/inbox/seeker/home.html", context, status=429), sent)
    if not first_submission(draft_id):
        return render(request, "helpline/inbox/seeker/already_sent.html", rules(), status=409)
    try:
        new = inbox_actions.do_start_secure_thread(language, body, campaign=campaign_of_visit(request))
    except Refusal as error:
        forget_submission(draft_id)  # nothing was sent, so the same page may be sent again once fixed
        return render(
            request,
            "helpline/inbox/seeker/home.html",
            home_context(new_error=error.message, **keep),
            status=400,
        )
    thread = new.thread
    return render(
        request,
        "helpline/inbox/seeker/created.html",
        {
            **rules(),
            "passphrase": new.passphrase,
            "word_count": len(new.passphrase.split(" ")),
            "deleted_on": deletion_day(thread),
            "due": due_day(thread),
        },
    )


def opened_or_refused(request: HttpRequest, typed: str, **keep: object) -> SecureThread | HttpResponse:
    """The thread the words open, or the answer to words that open nothing. The words are checked
    first (a keyed lookup; the slow hash only when the lookup matches), so the right passphrase opens
    however many wrong ones came from the same address. Wrong ones are counted for the address in one
    atomic step: exactly the limit of them are answered as a plain mistake, every later one with 429.
    The typed words are never put back on the page."""
    thread = queries.access_secure_thread(typed)
    if thread is not None:
        return thread
    tries = limits.count_wrong_passphrase(request)
    if tries.exceeded:
        context = home_context(open_error=TOO_MANY_TRIES, **keep)
        return paused(render(request, "helpline/inbox/seeker/home.html", context, status=429), tries)
    return render(
        request, "helpline/inbox/seeker/home.html", home_context(open_error=NOT_OPENED, **keep), status=400
    )


@require_http_methods(["GET", "POST"])
@never_cache
def open_thread(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("secure-home")
    typed = request.POST.get("passphrase", "")
    thread = opened_or_refused(request, typed)
    if isinstance(thread, HttpResponse):
        return thread
    return render(request, "helpline/inbox/seeker/thread.html", thread_context(thread, typed))


@require_http_methods(["GET", "POST"])
@never_cache
def reply(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("secure-home")
    typed = request.POST.get("passphrase", "")
    body = request.POST.get("body", "")
    draft_id = request.POST.get("draft", "")
    # If the thread cannot be opened, the words go into the new-message box rather than being lost.
    thread = opened_or_refused(request, typed, body=body)
    if isinstance(thread, HttpResponse):
        return thread
    sent = limits.count_secure_message(request)
    if sent.exceeded:
        context = thread_context(thread, typed, error=too_many_messages(sent), body=body, draft_id=draft_id)
        return paused(render(request, "helpline/inbox/seeker/thread.html", context, status=429), sent)
    if not first_submission(draft_id):
        context = thread_context(
            thread, typed, notice=gettext("That message had already been sent; it is shown below.")
        )
        return render(request, "helpline/inbox/seeker/thread.html", context)
    try:
        inbox_actions.do_add_seeker_secure_message(thread, body, campaign=campaign_of_visit(request))
    except Refusal as error:
        forget_submission(draft_id)
        context = thread_context(thread, typed, error=error.message, body=body, draft_id=draft_id)
        return render(request, "helpline/inbox/seeker/thread.html", context, status=400)
    notice = gettext("Your message has been sent.")
    return render(request, "helpline/inbox/seeker/thread.html", thread_context(thread, typed, notice=notice))
