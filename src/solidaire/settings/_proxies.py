"""Reading the proxy settings from the environment, refusing a value that is not one.

Kept apart from base.py so that a typo in SOLIDAIRE_TRUSTED_PROXIES stops the start
with a sentence naming the variable, not a bare ValueError.
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured


def trusted_proxies_from_env() -> int:
    """SOLIDAIRE_TRUSTED_PROXIES: how many proxies of ours append to X-Forwarded-For."""
    value = os.environ.get("SOLIDAIRE_TRUSTED_PROXIES", "").strip() or "0"
    if not value.isdigit():
        raise ImproperlyConfigured(
            "SOLIDAIRE_TRUSTED_PROXIES must be a number of proxies (0 when clients connect "
            "directly); see docs/deploy-proxy.md.")
    return int(value)


def trusted_proxy_addresses_from_env() -> tuple[str, ...]:
    """SOLIDAIRE_TRUSTED_PROXY_ADDRESSES: our proxies' addresses or networks, comma-separated."""
    addresses = tuple(part.strip() for part in
                      os.environ.get("SOLIDAIRE_TRUSTED_PROXY_ADDRESSES", "").split(",")
                      if part.strip())
    for address in addresses:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"SOLIDAIRE_TRUSTED_PROXY_ADDRESSES: {address!r} is not an IP address or "
                "network; see docs/deploy-proxy.md.") from None
    return addresses
