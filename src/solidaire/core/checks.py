"""`solidaire check --deploy`: the proxy settings against how deploy/serve will listen,
and the site's address for links (SITE_URL) against ALLOWED_HOSTS.

The check and deploy/serve read the same environment variables (SOLIDAIRE_HOST,
SOLIDAIRE_TLS_CERTIFICATE, with the same defaults), so it tells the truth when it runs
with the server's environment. From there it can tell three disagreements; it cannot
tell whether the proxy really appends X-Forwarded-For, how many proxies really stand in
front, or whether a firewall closes a port that listens on every interface (decision
0043; docs/deploy-proxy.md).
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.core.checks import Tags, Warning, register

DOC = "See docs/deploy-proxy.md."
# deploy/serve's default; the two must stay the same.
SERVE_HOST_DEFAULT = "127.0.0.1"


def _serve_host() -> str:
    return os.environ.get("SOLIDAIRE_HOST", "").strip() or SERVE_HOST_DEFAULT


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def proxy_settings_check(app_configs, **kwargs) -> list[Warning]:
    count = settings.SOLIDAIRE_TRUSTED_PROXIES
    addresses = settings.SOLIDAIRE_TRUSTED_PROXY_ADDRESSES
    host = _serve_host()
    tls = bool(os.environ.get("SOLIDAIRE_TLS_CERTIFICATE", "").strip())
    if (count or addresses) and tls:
        return [Warning(
            "A proxy is trusted (SOLIDAIRE_TRUSTED_PROXIES or "
            "SOLIDAIRE_TRUSTED_PROXY_ADDRESSES) but deploy/serve speaks TLS itself "
            "(SOLIDAIRE_TLS_CERTIFICATE), so clients connect to it directly: the "
            "X-Forwarded-For it receives is the client's own, and a client that rotates it "
            "dodges the login lockout and the form rate limit.",
            hint="Served directly, unset both proxy variables. " + DOC,
            id="solidaire.W001")]
    if count and not addresses and not _loopback(host):
        return [Warning(
            f"SOLIDAIRE_TRUSTED_PROXIES is {count} and deploy/serve listens on {host}, not "
            "only on this machine: a client that reaches that port around the proxy writes "
            "the X-Forwarded-For that the lockout and the form rate limit believe.",
            hint="Keep the proxy on this machine with SOLIDAIRE_HOST=127.0.0.1, or list the "
                 "proxy's addresses in SOLIDAIRE_TRUSTED_PROXY_ADDRESSES. " + DOC,
            id="solidaire.W002")]
    if not (count or addresses) and not tls:
        return [Warning(
            "No proxy is trusted, yet deploy/serve speaks plain HTTP, so HTTPS must end at a "
            "proxy in front of it: every visitor would then count as that proxy's address "
            "(a few wrong passwords lock an account for everyone, one busy rally fills the "
            "form rate limit) and HTTPS redirects would never end.",
            hint="Behind a proxy, set SOLIDAIRE_TRUSTED_PROXIES=1 (or the proxy's addresses "
                 "in SOLIDAIRE_TRUSTED_PROXY_ADDRESSES); served directly, give deploy/serve "
                 "SOLIDAIRE_TLS_CERTIFICATE and SOLIDAIRE_TLS_KEY. " + DOC,
            id="solidaire.W003")]
    return []


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs) -> list[Warning]:
    """SITE_URL, for links written outside a request: https, on an allowed host."""
    from urllib.parse import urlsplit

    from django.http.request import validate_host

    url = (getattr(settings, "SITE_URL", "") or "").strip()
    hint = ("Set SOLIDAIRE_SITE_URL to the address people reach the site at, e.g. "
            "https://solidaire.example.org (decision 0062).")
    parts = urlsplit(url)
    if not url or parts.scheme != "https" or not parts.hostname:
        return [Warning(
            f"SITE_URL ({url or 'empty'}) is not an https address: links in e-mails sent by "
            "background jobs would point at the wrong place or travel in the clear.",
            hint=hint, id="solidaire.W004")]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return [Warning(
            f"SITE_URL's host ({host}) is not in ALLOWED_HOSTS: links in e-mails "
            "would lead to a site that refuses them.",
            hint=hint, id="solidaire.W005")]
    return []
