"""Who the client is: the address the connection came from, or, behind
reverse proxies named in CS_TRUSTED_PROXIES, the last untrusted hop of the
forwarding header they write (CS_FORWARDED_HEADER: X-Forwarded-For or
Forwarded). Only that header is read, every line of it: a proxy that writes
one passes a client's other one through untouched, and one that appends a
line of its own leaves the client's line first. Forwarding headers from
anyone else are ignored, so a client cannot choose the address its rate
limits count against."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 7239: for=192.0.2.60, for="[2001:db8::17]:4711", for=unknown, ...
_FORWARDED_FOR = re.compile(r'(?:^|[;,\s])for=("[^"]*"|[^;,\s]*)', re.IGNORECASE)


def _address(text: str) -> IPAddress | None:
    """An address as a forwarding header writes one: maybe quoted, in
    brackets, with a port."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def forwarded_chain(header: str, lines: Sequence[str]) -> list[str]:
    """The hops the proxies recorded in ``header`` (all its lines), client first."""
    joined = ",".join(lines)
    if header == "forwarded":
        return [match for match in _FORWARDED_FOR.findall(joined)]
    return [part for part in joined.split(",") if part.strip()]


def client_address(peer: str | None, chain: Sequence[str], trusted: Sequence[IPNetwork]) -> str | None:
    """``chain``: the hops of the forwarding header, client first."""
    peer_address = _address(peer or "")
    if peer_address is None or not _is_trusted(peer_address, trusted):
        return peer
    client = peer_address
    for hop in reversed(chain):
        address = _address(hop)
        if address is None:
            break  # an obfuscated or malformed hop: the last address known stands
        client = address
        if not _is_trusted(address, trusted):
            break
    return str(client)


def _is_trusted(address: IPAddress, trusted: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in trusted)
