"""The client address: the peer's, unless the peer is a trusted proxy; then
the last untrusted hop of the forwarding header the proxies write."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.http.client_address import client_address, forwarded_chain

PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8:1::/48")]
ADDRESSES = st.ip_addresses().map(str)


def behind_proxy(header: str, *lines: str, peer: str = "10.0.0.2") -> str | None:
    return client_address(peer, forwarded_chain(header, lines), PROXIES)


@given(ADDRESSES, st.sampled_from(["x-forwarded-for", "forwarded"]), st.lists(st.text(max_size=80), max_size=3))
def test_without_trusted_proxies_forwarding_headers_are_ignored(peer, header, lines):
    assert client_address(peer, forwarded_chain(header, lines), []) == peer


@given(ADDRESSES.filter(lambda address: not any(ipaddress.ip_address(address) in n for n in PROXIES)))
def test_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored(peer):
    assert behind_proxy("x-forwarded-for", "203.0.113.9", peer=peer) == peer
    assert behind_proxy("forwarded", "for=203.0.113.9", peer=peer) == peer


@pytest.mark.parametrize(
    ("x_forwarded_for", "client"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client wrote the first hop itself
        ("198.51.100.1, 203.0.113.9, 10.1.1.1", "203.0.113.9"),  # a second trusted proxy
        ("10.9.9.9, 10.1.1.1", "10.9.9.9"),  # every hop trusted: the first one
        ("", "10.0.0.2"),
        ("not-an-address", "10.0.0.2"),
        ("203.0.113.9, garbage", "10.0.0.2"),
        (" 203.0.113.9 ", "203.0.113.9"),
        ("203.0.113.9:8443", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_last_untrusted_hop(x_forwarded_for, client):
    assert behind_proxy("x-forwarded-for", x_forwarded_for) == client


def test_every_line_of_the_header_counts_so_a_proxy_appending_its_own_line_is_believed():
    # The client sent the first line; the proxy added the second (as HAProxy does).
    assert behind_proxy("x-forwarded-for", "198.51.100.77", "203.0.113.9") == "203.0.113.9"
    assert behind_proxy("forwarded", "for=198.51.100.77", "for=203.0.113.9") == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("for=203.0.113.9", "203.0.113.9"),
        ('for="[2001:db8:cafe::17]:4711";proto=https', "2001:db8:cafe::17"),
        ("for=198.51.100.1, for=203.0.113.9;by=10.0.0.2", "203.0.113.9"),
        ("For=203.0.113.9", "203.0.113.9"),
        ("for=unknown", "10.0.0.2"),
        ("for=_hidden, for=10.3.3.3", "10.3.3.3"),
    ],
)
def test_the_standard_forwarded_header_is_read_when_it_is_the_configured_one(forwarded, client):
    assert behind_proxy("forwarded", forwarded) == client


def test_an_ipv6_proxy_is_trusted_by_its_network():
    assert behind_proxy("x-forwarded-for", "2001:db8:9::1", peer="2001:db8:1::5") == "2001:db8:9::1"


def test_a_peer_that_is_no_address_is_kept_as_it_is():
    assert behind_proxy("x-forwarded-for", "203.0.113.9", peer="testclient") == "testclient"
    assert client_address(None, ["203.0.113.9"], PROXIES) is None
