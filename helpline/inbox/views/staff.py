"""The staff inbox of secure messages: threads awaiting a reply, the longest-waiting first, with the
reply target and overdue marking. Staff take a thread (or the routing gives them one), read it,
reply with their own words or a stock reply, and it leaves the inbox until the person writes again.

The words of a thread are shown only to whoever holds it, and to supervisors. Plain forms only; every
state change goes through helpline.inbox.actions.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from helpline.errors import Refusal
from helpline.inbox import actions as inbox_actions
from helpline.inbox import queries
from helpline.languages import language_name
from helpline.models import CannedResponse, SecureThread
from helpline.staff.access import StaffRequest, staff_required
from helpline.text_input import whole_number


def _thread(request: StaffRequest, public_id: UUID, *, to_act: bool = False) -> SecureThread:
    return queries.access_staff_thread(
        request.profile, public_id, supervisor=request.supervisor, to_act=to_act
    )


def _thread_url(thread: SecureThread) -> str:
    return reverse("staff-inbox-thread", args=[thread.public_id])


def _render_thread(
    request: StaffRequest, thread: SecureThread, *, draft: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    readable = queries.may_read(thread, request.profile, supervisor=request.supervisor)
    return render(
        request,
        "helpline/inbox/staff/thread.html",
        {
            "thread": thread,
            "readable": readable,
            "mine": thread.assigned_to_id == request.profile.id,
            "thread_messages": queries.thread_messages(thread) if readable else [],
            "canned": list(CannedResponse.objects.filter(active=True)),
            "draft": draft,
            "error": error,
            "due": queries.due_words(thread),
            "overdue": thread.is_overdue(),
            "deleted_on": queries.date_words(thread.delete_after),
            "language_name": language_name(thread.language),
            "max_length": settings.HELPLINE["SECURE_MESSAGE_MAX_LENGTH"],
            "supervisor": request.supervisor,
        },
        status=status,
    )


@require_GET
@staff_required
def inbox_list(request: StaffRequest) -> HttpResponse:
    rows = queries.inbox(request.profile)
    return render(
        request,
        "helpline/inbox/staff/list.html",
        {
            "rows": rows,
            "mine": [row for row in rows if row.mine],
            "overdue": sum(1 for row in rows if row.overdue),
            "target_days": settings.HELPLINE["SECURE_REPLY_TARGET_WORKING_DAYS"],
            "supervisor": request.supervisor,
            "now": timezone.now(),
        },
    )


@require_GET
@staff_required
def thread(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _render_thread(request, _thread(request, public_id))


@require_POST
@staff_required
def take(request: StaffRequest, public_id: UUID) -> HttpResponse:
    found = _thread(request, public_id, to_act=True)
    try:
        inbox_actions.do_take_secure_thread(found, request.profile)
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("staff-inbox")
    return redirect(_thread_url(found))


@require_POST
@staff_required
def release(request: StaffRequest, public_id: UUID) -> HttpResponse:
    found = _thread(request, public_id)
    if inbox_actions.do_release_secure_thread(found, request.profile):
        messages.success(request, gettext("The message is back in the inbox for a colleague."))
    return redirect("staff-inbox")


@require_POST
@staff_required
def reply(request: StaffRequest, public_id: UUID) -> HttpResponse:
    found = _thread(request, public_id, to_act=True)
    body = request.POST.get("body", "")
    if not queries.may_read(found, request.profile, supervisor=request.supervisor):
        # The thread went back to the inbox while this person was writing (a dropped connection, say):
        # take it again rather than lose the reply. If a colleague has it, keep the words on screen.
        try:
            found = inbox_actions.do_take_secure_thread(found, request.profile)
        except Refusal as error:
            return _render_thread(request, found, draft=body, error=error.message, status=409)
    if "insert" in request.POST:
        # Without JavaScript: put the chosen stock reply into the box, keeping what was typed.
        canned_id = whole_number(request.POST.get("canned", ""))
        canned = (
            CannedResponse.objects.filter(pk=canned_id, active=True).first()
            if canned_id is not None
            else None
        )
        if canned is None:
            return _render_thread(
                request, found, draft=body, error=gettext("Choose a stock reply to insert."), status=400
            )
        return _render_thread(request, found, draft=f"{body.rstrip()}\n\n{canned.body}".strip())
    try:
        inbox_actions.do_reply_to_secure_thread(found, request.profile, body)
    except Refusal as error:
        return _render_thread(request, found, draft=body, error=error.message, status=400)
    messages.success(
        request,
        gettext(
            "Reply sent in message %(ref)s. The person will read it when they next open the "
            "conversation with their passphrase."
        )
        % {"ref": found.ref},
    )
    return redirect("staff-inbox")
