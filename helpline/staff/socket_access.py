"""Whether a staff console's socket still holds the sign-in it was opened with.

A socket authenticates once, when it opens (`staff_profile_for`). After that the person may sign out,
their account may be deactivated or their second-factor devices removed, and the socket must not go
on accepting offers and sending messages in their name. Two things see to that:

- The signal receivers below announce each such change (STAFF_ACCESS_REVOKED, to the person's staff
  group) and every open socket it concerns closes with 4403 at once, in every process.
- Each frame that acts checks first. Checking the database on every frame would add queries to the
  busiest path there is (staff messages), so a frame looks only at the revocations this process has
  heard of (`Access.revoked_here`, a dictionary lookup) and at when the sign-in was last checked
  fully. Each web process checks all its consoles fully together every half RECHECK_SECONDS
  (`still_holding`, helpline.chat.sign_in_watch); a frame finding the last full check older than
  RECHECK_SECONDS (the watch fell behind) makes one itself, inside the database call it makes anyway.
  The full check is the safety net for changes no signal reports (a bulk update, an expired session)
  and for an announcement missed.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpline import events
from helpline.models import StaffProfile
from helpline.staff import access as staff_access

T = TypeVar("T")

STAFF_ACCESS_REVOKED = "staff.access_revoked"
# How stale a socket's last full check may be before a frame makes another. A change that no signal
# announced reaches an open console within this long.
RECHECK_SECONDS = 5.0
# Revocations heard in this process are kept this long: beyond the recheck interval, by which time every
# socket they concern has checked fully (and closed) or has been closed by the announcement.
_REMEMBER_SECONDS = 60.0


class SignedOut(Exception):
    """The socket's sign-in no longer holds: refuse the frame and close."""


def session_digest(session_key: str) -> str:
    """Names one browser session in announcements without putting its key on the channel layer."""
    return hashlib.sha256(session_key.encode()).hexdigest()


@dataclass(frozen=True)
class Revocation:
    """What ended: one browser session, the sessions verified with one device, or (neither) the account."""

    session: str | None = None
    device: str | None = None

    def as_event(self) -> dict[str, Any]:
        return {"type": STAFF_ACCESS_REVOKED, "session": self.session, "device": self.device}

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Revocation:
        return cls(session=event.get("session"), device=event.get("device"))


@dataclass
class Access:
    """What one staff socket was let in with, and when that was last confirmed."""

    user_id: int
    profile_id: int
    session_key: str
    device_id: str
    opened_at: float = field(default_factory=time.monotonic)
    checked_at: float = field(default_factory=time.monotonic)

    @property
    def session(self) -> str:
        return session_digest(self.session_key)

    def ended_by(self, revocation: Revocation) -> bool:
        if revocation.session is not None:
            return revocation.session == self.session
        if revocation.device is not None:
            return revocation.device == self.device_id
        return True

    def fresh(self) -> bool:
        return time.monotonic() - self.checked_at < RECHECK_SECONDS

    def revoked_here(self) -> bool:
        """Whether this process has heard of a revocation that ends this socket's sign-in."""
        heard = _heard.get(self.user_id)
        if not heard:
            return False
        return any(at >= self.opened_at and self.ended_by(revocation) for at, revocation in heard)


# Revocations this process has heard of, by user id, with when (time.monotonic()). Written from the
# thread that made the change, read on the event loop: each write replaces a user's list whole.
_heard: dict[int, list[tuple[float, Revocation]]] = {}
_heard_lock = threading.Lock()


def _remember(user_id: int, revocation: Revocation) -> None:
    now = time.monotonic()
    with _heard_lock:
        for uid in [uid for uid, heard in _heard.items() if heard[-1][0] < now - _REMEMBER_SECONDS]:
            del _heard[uid]
        recent = [(at, r) for at, r in _heard.get(user_id, []) if at >= now - _REMEMBER_SECONDS]
        _heard[user_id] = [*recent, (now, revocation)]


# --- the checks --------------------------------------------------------------------------------


def staff_profile_for(user: Any, session: Any) -> StaffProfile | None:
    """Helpline staff who passed their second factor in this session (as django-otp records it)."""
    if user is None or not staff_access.is_helpline_staff(user):
        return None
    device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    device = Device.from_persistent_id(device_id) if device_id else None
    if not _device_admits(device, user):
        return None
    return StaffProfile.objects.get(user=user)


def still_holds(access: Access) -> bool:
    """The check the socket passed when it opened, made again (see still_holding)."""
    return still_holding([access])[0]


def still_holding(accesses: Sequence[Access]) -> list[bool]:
    """For each socket, the check it passed when it opened, made again: the session still exists and
    still signs in this person (the password unchanged since), who is still active helpline staff,
    with the same second-factor device still theirs and confirmed. However many sockets, the same
    few queries (a process's watch checks all its consoles together, helpline.chat.sign_in_watch).

    The sessions are read from the database, the record (config.sessions keeps the cache as a copy):
    a session that is gone or expired reads as empty."""
    if not accesses:
        return []
    user_ids = {access.user_id for access in accesses}
    sessions = _sessions_by_key({access.session_key for access in accesses})
    users = get_user_model().objects.in_bulk(user_ids)
    profiles = staff_access.helpline_staff_profiles(user_ids)
    devices = _devices_by_persistent_id({access.device_id for access in accesses})

    def holds(access: Access) -> bool:
        data = sessions.get(access.session_key, {})
        user = users.get(access.user_id)
        return (
            str(data.get(SESSION_KEY)) == str(access.user_id)
            and data.get(DEVICE_ID_SESSION_KEY) == access.device_id
            and user is not None
            and _session_hash_matches(user, data.get(HASH_SESSION_KEY))
            and profiles.get(access.user_id) == access.profile_id  # still helpline staff, the same profile
            and _device_admits(devices.get(access.device_id), user)
        )

    return [holds(access) for access in accesses]


def _sessions_by_key(keys: set[str]) -> dict[str, dict[str, Any]]:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = store.get_model_class().objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    decoder = store()
    return {row.session_key: decoder.decode(row.session_data) for row in rows}


def _devices_by_persistent_id(persistent_ids: set[str]) -> dict[str, Device]:
    """As Device.from_persistent_id for each, with one query per kind of device."""
    ids_by_model: dict[str, list[int]] = {}
    for persistent_id in persistent_ids:
        with contextlib.suppress(ValueError):
            model_label, device_id = persistent_id.rsplit("/", 1)
            ids_by_model.setdefault(model_label, []).append(int(device_id))
    found: dict[str, Device] = {}
    for model_label, ids in ids_by_model.items():
        try:
            model = apps.get_model(model_label)
        except (ValueError, LookupError):
            continue
        if issubclass(model, Device):
            found.update((device.persistent_id, device) for device in model.objects.filter(id__in=ids))
    return found


def _device_admits(device: Device | None, user: Any) -> bool:
    # As django-otp's middleware: the device must be the user's own and confirmed.
    return device is not None and device.user_id == user.id and bool(device.confirmed)


def _session_hash_matches(user: Any, session_hash: object) -> bool:
    # As django.contrib.auth.get_user decides, but without its side effects (it flushes or re-keys the
    # session it is given; this one belongs to the browser).
    if not isinstance(session_hash, str) or not session_hash:
        return False
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(session_hash, h) for h in hashes)


def checked(access: Access, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run inside a frame's own database call: check fully first, then do what the frame asked."""
    started = time.monotonic()
    if access.revoked_here() or not still_holds(access):
        raise SignedOut
    access.checked_at = started
    return func(*args, **kwargs)


# --- announcing changes --------------------------------------------------------------------------


def revoke(user_id: int, revocation: Revocation) -> None:
    """Once the change commits: sockets in this process refuse their next frame, and every socket it
    concerns, in any process, closes."""
    profile_id = StaffProfile.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    if profile_id is None:
        return  # not helpline staff: no console to close

    def announce() -> None:
        _remember(user_id, revocation)
        events.send_now(events.staff_group(profile_id), revocation.as_event())

    transaction.on_commit(announce)


def _on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Only this browser's session ends (as for its pages): the person's other signed-in browsers stay.
    # The session still exists here (it is flushed just after), which is why it is remembered.
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        revoke(user.pk, Revocation(session=session_digest(session_key)))


def _on_user_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return  # e.g. last_login saved for someone already inactive: nothing new
    revoke(instance.pk, Revocation())


def _on_user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Before the deletion, while the staff profile that names their group still exists.
    revoke(instance.pk, Revocation())


def _on_device_deleted(sender: Any, instance: Device, **kwargs: Any) -> None:
    # In post_delete the instance still has its id, and so its persistent id.
    revoke(instance.user_id, Revocation(device=instance.persistent_id))


def connect_receivers() -> None:
    """Called from HelplineConfig.ready()."""
    user_logged_out.connect(_on_logged_out, dispatch_uid="helpline.staff.socket_access.logged_out")
    user_model = get_user_model()
    post_save.connect(
        _on_user_saved, sender=user_model, dispatch_uid="helpline.staff.socket_access.user_saved"
    )
    pre_delete.connect(
        _on_user_deleted, sender=user_model, dispatch_uid="helpline.staff.socket_access.user_deleted"
    )
    # Per device model, not every model: a post_delete receiver for all senders would stop Django
    # fast-deleting anything (purges of chats and messages included).
    for model in (TOTPDevice, StaticDevice):
        post_delete.connect(
            _on_device_deleted, sender=model, dispatch_uid=f"helpline.staff.socket_access.{model.__name__}"
        )
