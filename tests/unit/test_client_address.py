"""The client address: the peer's, unless the peer is a trusted proxy; then
the last untrusted hop its forwarding headers name."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.http.client_address import client_address

PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8:1::/48")]
ADDRESSES = st.ip_addresses().map(str)


@given(ADDRESSES, st.text(max_size=80), st.text(max_size=80))
def test_without_trusted_proxies_forwarding_headers_are_ignored(peer, forwarded, x_forwarded_for):
    assert client_address(peer, forwarded, x_forwarded_for, []) == peer


@given(ADDRESSES.filter(lambda address: not any(ipaddress.ip_address(address) in n for n in PROXIES)))
def test_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored(peer):
    assert client_address(peer, None, "203.0.113.9", PROXIES) == peer
    assert client_address(peer, "for=203.0.113.9", None, PROXIES) == peer


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
    assert client_address("10.0.0.2", None, x_forwarded_for, PROXIES) == client


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
def test_the_standard_forwarded_header_is_read_and_wins_over_x_forwarded_for(forwarded, client):
    assert client_address("10.0.0.2", forwarded, "198.51.100.77", PROXIES) == client


def test_an_ipv6_proxy_is_trusted_by_its_network():
    assert client_address("2001:db8:1::5", None, "2001:db8:9::1", PROXIES) == "2001:db8:9::1"


def test_a_peer_that_is_no_address_is_kept_as_it_is():
    assert client_address("testclient", None, "203.0.113.9", PROXIES) == "testclient"
    assert client_address(None, None, "203.0.113.9", PROXIES) is None
