"""The second factor in tests, through the real pages: a device, its current code, and
the step-up (the code page) posted over HTTP as a person would."""

from __future__ import annotations

import time

from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidaire.core.two_factor import SESSION_PASSED_AT_KEY


def device_for(user) -> TOTPDevice:
    """The account's confirmed TOTP device, made if it has none (as after enrolment)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current step's, or the next one's when the
    current one was already used (django-otp refuses a code twice; one step of drift
    is allowed)."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = max(time.time(), device.t0 + (device.last_t + 1) * device.step)
    return f"{clock.token():0{device.digits}d}"


def step_up(client, user, *, back: str = "", lang: str = "en"):
    """Type a right code on the code page, as the account; returns the response (a
    redirect to `back`, or to the organizer home)."""
    with translation.override(lang):
        page = reverse("organize:step_up")
    data = {"code": code_for(device_for(user))}
    if back:
        data["next"] = back
    response = client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_goes_stale(client) -> None:
    """The session's last code was typed longer ago than the step-up window."""
    from django.conf import settings

    session = client.session
    window = settings.SOLIDAIRE_STATUS_STEP_UP_SECONDS
    session[SESSION_PASSED_AT_KEY] = int(time.time()) - window - 1
    session.save()


def log_in_with_code(client, user, *, lang: str = "en"):
    """Log in as an account with a device: the password step (force_login), then its
    code on the code page, as the login asks. Returns the client."""
    device = device_for(user)
    client.force_login(user)
    with translation.override(lang):
        page = reverse("organize:login_code")
    response = client.post(page, {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def log_in(client, user):
    """Log in as the account the way its login asks: with its code when it has status
    access (which must use two-factor login), with the password alone otherwise."""
    from solidaire.people.selectors import status_access

    if status_access(user):
        return log_in_with_code(client, user)
    client.force_login(user)
    return client
