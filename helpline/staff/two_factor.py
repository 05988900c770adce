"""Mandatory second factor for every staff, supervisor, editor and admin account (django-otp TOTP).

After the password, a person with an authenticator set up enters a code (or a one-time backup code);
a person without one is walked through setting it up, with the QR code drawn here, never by a
third-party service. An admin resets a lost factor by deleting the person's devices in the admin.
"""

from __future__ import annotations

import secrets

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("staff-console")


class StaffLoginView(LoginView):
    """Password first; the second factor always follows before anything else opens."""

    def get_success_url(self) -> str:
        return reverse("two-factor") + "?next=" + self.get_redirect_url()


def is_verified(request: HttpRequest) -> bool:
    """Passed the second factor in this session (django-otp's middleware adds `is_verified`)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    if is_verified(request):
        return redirect(safe_next(request))
    if not user_has_device(request.user, confirmed=True):
        return enrol(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request))
        form.add_error(
            "token", gettext("That code did not work. Check the time on your device and try the newest code.")
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": safe_next(request)})


def enrol(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            codes = confirm_enrolment(device)
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_backup_codes.html",
                {"codes": codes, "next": safe_next(request)},
            )
        form.add_error(
            "token", gettext("That code did not match. Scan the code again, then type the newest six digits.")
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(
            scale=5, dark="#1f2a30", light="#ffffff", title=gettext("Two-factor set-up code")
        ),
        "secret": _group(device.bin_key),
        "next": safe_next(request),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@transaction.atomic
def confirm_enrolment(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator and issue fresh one-time backup codes, shown once. (django-otp stores
    backup codes as they are; each works once, and an admin can revoke them all by deleting the device.)"""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return codes


def _group(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


DEMO_BACKUP_CODE_COUNT = 20


@transaction.atomic
def demo_backup_codes(user: object, count: int = DEMO_BACKUP_CODE_COUNT) -> list[str]:
    """For the embedded demo only: a confirmed authenticator and (at least) `count` backup codes (a day of
    trying every role), so a newcomer can sign in. Real accounts get BACKUP_CODE_COUNT at enrolment."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Demo authenticator", confirmed=True, key=secrets.token_hex(20)
    )
    codes = confirm_enrolment(device)
    backup = StaticDevice.objects.get(user=user, name="Backup codes")
    while len(codes) < count:
        code = StaticToken.random_token()
        if code not in codes:
            StaticToken.objects.create(device=backup, token=code)
            codes.append(code)
    return codes
