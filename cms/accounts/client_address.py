"""The address a request came from, for lock-outs, rate limits and the sessions page.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address. Each proxy appends the address it
received the request from to X-Forwarded-For, so with `TRUSTED_PROXY_COUNT` proxies the client is that
many entries from the right; everything further left was written by the client and proves nothing.
The header counts only on a request that arrived from one of `TRUSTED_PROXY_ADDRESSES`: anyone else could
have written all of it. Decision 0006.
"""

import ipaddress
import logging

from django.conf import settings

log = logging.getLogger(__name__)


def trusted_proxy_networks(addresses) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Parse addresses and networks (`10.0.0.2`, `172.18.0.0/16`); raises ValueError on anything else,
    `*` included: trusting every peer is what let anyone choose their address."""
    return [ipaddress.ip_network(address.strip(), strict=False) for address in addresses]


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in trusted_proxy_networks(settings.TRUSTED_PROXY_ADDRESSES))


def client_ip_address(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE, and for everything else that needs it)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0 or not is_trusted_proxy(remote_addr):
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote_addr
    # Fewer hops than proxies: every entry was written by a trusted proxy, the left-most is the furthest.
    candidate = hops[-proxy_count] if len(hops) >= proxy_count else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        log.warning("The trusted proxy at %s forwarded an unreadable client address", remote_addr)
        return remote_addr
