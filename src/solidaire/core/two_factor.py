"""The second factor (TOTP, django-otp): who needs it, enrolment, and the gate.

At login the session records what the account still has to do
(`session_note_two_factor`, connected to `user_logged_in` in CoreConfig.ready):
"verify" when it has a confirmed TOTP device, "enrol" when it has status access and
no device yet, nothing otherwise. The middleware then keeps such a session away from
every page except the login steps and public pages until django-otp marks it
verified. Reading the note from the session keeps ordinary pages free of extra queries.

Passing the second factor also stamps the session with the time
(`second_factor_passed`). What reveals immigration status, and the admin, asks that
this stamp be recent (`second_factor_recent`, SOLIDAIRE_STATUS_STEP_UP_SECONDS) on every
request, whatever the login asked: an account given status access, or admin rights,
halfway through a session has typed no code for it (decision 0046).
"""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import OrganizerRole
from .services import audit_log
from .sessions import is_open_page

SESSION_NEED_KEY = "solidaire_2fa"
VERIFY, ENROL = "verify", "enrol"
# Where the unconfirmed secret waits during enrolment: nothing is saved until the
# account proves, with a code, that its app holds it.
SESSION_PENDING_KEY = "solidaire_totp_pending_key"
# When this session last passed the second factor (seconds since the epoch).
SESSION_PASSED_AT_KEY = "solidaire_2fa_passed_at"
TOTP_DIGITS = 6
TOTP_STEP = 30


def two_factor_need(user) -> str:
    """"verify", "enrol" or "" for an account that has just given its password."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    if OrganizerRole.objects.filter(user=user, status_access=True).exists():
        return ENROL
    return ""


def session_note_two_factor(sender, request, user, **kwargs) -> None:
    """On login: remember in the session what the second factor still asks for."""
    need = two_factor_need(user)
    if need:
        request.session[SESSION_NEED_KEY] = need
    else:
        request.session.pop(SESSION_NEED_KEY, None)


def session_two_factor_need(request) -> str:
    """What this session still has to do before organizer pages open ("" if nothing)."""
    need = request.session.get(SESSION_NEED_KEY, "")
    # Right after login(), request.user is the bare account OTPMiddleware has not seen.
    is_verified = getattr(request.user, "is_verified", None)
    if not need or (is_verified is not None and is_verified()):
        return ""
    return need


def second_factor_passed(request, device) -> None:
    """The account has just typed a right code from `device`: django-otp marks the
    session verified, and the session remembers when."""
    otp_login(request, device)
    request.session[SESSION_PASSED_AT_KEY] = int(time.time())


def second_factor_recent(request) -> bool:
    """Whether this session passed the second factor within the step-up window
    (SOLIDAIRE_STATUS_STEP_UP_SECONDS): django-otp still holds it verified (its device
    was not removed since) and the code was typed recently."""
    is_verified = getattr(request.user, "is_verified", None)
    if is_verified is None or not is_verified():
        return False
    passed_at = request.session.get(SESSION_PASSED_AT_KEY)
    if not isinstance(passed_at, int):
        return False  # verified before the time was kept: ask again
    return 0 <= int(time.time()) - passed_at <= settings.SOLIDAIRE_STATUS_STEP_UP_SECONDS


def pending_key(session) -> str:
    """The hex secret offered to this session for enrolment, made on first use."""
    key = session.get(SESSION_PENDING_KEY)
    if not key:
        key = random_hex(20)
        session[SESSION_PENDING_KEY] = key
    return key


def secret_for_people(key: str) -> str:
    """The secret as authenticator apps take it typed: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def provisioning_uri(*, key: str, username: str) -> str:
    """The otpauth:// address a QR code carries to an authenticator app."""
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{username}")
    return (f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}"
            f"&digits={TOTP_DIGITS}&period={TOTP_STEP}&algorithm=SHA1")


def code_matches_key(*, key: str, code: str) -> bool:
    """Does `code` come from the secret `key` (one step of clock drift allowed)?"""
    code = "".join(code.split())
    if not code.isdigit():
        return False
    totp = TOTP(bytes.fromhex(key), step=TOTP_STEP, digits=TOTP_DIGITS)
    return totp.verify(int(code), tolerance=1)


def accounts_with_two_factor(user_ids) -> set[int]:
    """Which of these accounts have a confirmed TOTP device."""
    return set(TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True)
               .values_list("user_id", flat=True))


@transaction.atomic
def two_factor_enrol(*, user, key: str, actor=None) -> TOTPDevice:
    """Save a confirmed TOTP device for an account whose app has shown it holds `key`."""
    # The code just used to confirm cannot be used again to log in.
    last_t = TOTP(bytes.fromhex(key), step=TOTP_STEP, digits=TOTP_DIGITS).t()
    device = TOTPDevice.objects.create(user=user, key=key, name="default", confirmed=True,
                                       step=TOTP_STEP, digits=TOTP_DIGITS, last_t=last_t)
    audit_log(action="solidaire.account.two_factor.enrolled", actor=actor or user, obj=user)
    return device


class TwoFactorMiddleware:
    """Until the second factor is done, only the login steps and public pages open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SESSION_KEY not in request.session or is_open_page(request):
            return None
        need = session_two_factor_need(request)
        if not need:
            return None
        match = request.resolver_match
        if need == ENROL and match.namespace == "organize" and match.url_name == "two_factor":
            return None
        target = "organize:login_code" if need == VERIFY else "organize:two_factor"
        return redirect_to_login(request.get_full_path(), reverse(target))
