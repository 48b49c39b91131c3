"""Sessions at service level: refreshing, replays, expiry, logging out,
listing and ending sessions, and which access tokens still let a customer
in. What a client sees of these over HTTP is in
tests/integration/test_auth_http.py and test_jwt_rejections.py."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_core import ClientInfo, NotFound, TokenInvalid, Unauthenticated
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import Id
from tests.support import acting, unique_email


def refresh(flows, refresh_token):
    return flows.service.refresh(RefreshRequest(refresh_token=refresh_token))


def assert_ended(flows, tokens):
    """Neither token of the pair works any more."""
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.access_token)
    with pytest.raises(TokenInvalid):
        refresh(flows, tokens.refresh_token)


# --- refreshing -------------------------------------------------------------


def test_refresh_trades_a_refresh_token_for_a_new_pair_of_the_same_session(flows):
    registered = flows.register().tokens
    session = flows.service.authenticate(registered.access_token)

    tokens = refresh(flows, registered.refresh_token)

    assert tokens.refresh_token != registered.refresh_token
    assert (tokens.token_type, tokens.expires_in, tokens.refresh_expires_in) == ("Bearer", 86400, 604800)
    assert flows.service.authenticate(tokens.access_token) == session
    assert refresh(flows, tokens.refresh_token)


def test_each_refresh_token_works_once(flows):
    tokens = flows.register().tokens
    refresh(flows, tokens.refresh_token)

    with pytest.raises(TokenInvalid):
        refresh(flows, tokens.refresh_token)


def test_a_used_refresh_token_ends_the_whole_session_and_no_other(flows):
    email = unique_email()
    first = flows.register(email=email).tokens
    other_session = flows.login(email).tokens
    newer = refresh(flows, first.refresh_token)

    with pytest.raises(TokenInvalid):
        refresh(flows, first.refresh_token)

    assert_ended(flows, newer)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(first.access_token)
    assert flows.service.authenticate(other_session.access_token)
    assert refresh(flows, other_session.refresh_token)


@pytest.mark.parametrize(
    "token",
    [secrets.token_urlsafe(32), "", "short", "x" * 5000, "not a token at all, with spaces and ünïcödé", "\x00" * 40],
    ids=["unknown", "empty", "short", "huge", "garbage", "nul-bytes"],
)
def test_refresh_refuses_a_token_it_never_issued(flows, token):
    with pytest.raises(TokenInvalid):
        refresh(flows, token)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_no_other_text_refreshes_a_session_and_trying_does_not_end_it(flows, text):
    tokens = flows.register().tokens

    if text != tokens.refresh_token:
        with pytest.raises(TokenInvalid):
            refresh(flows, text)

    assert refresh(flows, tokens.refresh_token)


def test_a_session_ends_its_lifetime_after_its_last_refresh(make_flows):
    flows = make_flows(refresh_token_ttl=600)
    tokens = flows.register().tokens

    flows.clock.advance(dt.timedelta(seconds=599))
    tokens = refresh(flows, tokens.refresh_token)
    flows.clock.advance(dt.timedelta(seconds=599))
    tokens = refresh(flows, tokens.refresh_token)
    principal = flows.service.authenticate(tokens.access_token)
    flows.clock.advance(dt.timedelta(seconds=600))

    assert_ended(flows, tokens)
    assert flows.service.list_sessions(principal) == []


def test_an_access_token_is_refused_once_it_expires(make_flows):
    flows = make_flows(access_token_ttl=300)
    tokens = flows.register().tokens

    flows.clock.advance(dt.timedelta(seconds=299))
    assert flows.service.authenticate(tokens.access_token)
    flows.clock.advance(dt.timedelta(minutes=1))  # past the 30 s allowed for clock differences

    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.access_token)
    assert refresh(flows, tokens.refresh_token)


# --- logging out ------------------------------------------------------------


def test_logout_ends_this_session_at_once_and_no_other(flows):
    email = unique_email()
    ending = flows.register(email=email).tokens
    staying = flows.login(email).tokens

    flows.service.logout(flows.service.authenticate(ending.access_token))

    assert_ended(flows, ending)
    assert flows.service.authenticate(staying.access_token)
    assert refresh(flows, staying.refresh_token)


def test_logout_all_ends_every_session_of_the_customer_and_no_one_elses(flows):
    email = unique_email()
    registered = flows.register(email=email)
    sessions = [registered.tokens, flows.login(email).tokens, flows.login(email).tokens]
    bystander = flows.register().tokens

    assert flows.service.logout_all(acting(registered.customer.id)) == 3

    for tokens in sessions:
        assert_ended(flows, tokens)
    assert flows.service.authenticate(bystander.access_token)
    assert refresh(flows, bystander.refresh_token)


# --- listing and ending sessions --------------------------------------------


def test_sessions_are_listed_newest_first_with_their_client_and_the_callers_marked(flows):
    email = unique_email()
    flows.register(email=email)  # from the fixture's client, "pytest" at 192.0.2.10
    flows.clock.advance(dt.timedelta(minutes=1))
    phone_tokens = flows.login(email, client=ClientInfo(user_agent="phone-app/1.0", ip_address="198.51.100.7")).tokens
    phone_logged_in_at = flows.clock.now()
    flows.clock.advance(dt.timedelta(minutes=1))
    laptop_tokens = flows.login(
        email, client=ClientInfo(user_agent="laptop-browser/2.0", ip_address="203.0.113.9")
    ).tokens
    laptop_logged_in_at = flows.clock.now()
    flows.clock.advance(dt.timedelta(minutes=1))
    laptop_tokens = refresh(flows, laptop_tokens.refresh_token)
    phone = flows.service.authenticate(phone_tokens.access_token)
    laptop = flows.service.authenticate(laptop_tokens.access_token)

    listed = flows.service.list_sessions(phone)

    assert [(s.user_agent, s.ip_address, s.current) for s in listed] == [
        ("laptop-browser/2.0", "203.0.113.9", False),
        ("phone-app/1.0", "198.51.100.7", True),
        ("pytest", "192.0.2.10", False),
    ]
    assert [s.id for s in listed[:2]] == [laptop.session_id, phone.session_id]
    assert (listed[0].created_at, listed[0].last_used_at) == (laptop_logged_in_at, flows.clock.now())
    assert (listed[1].created_at, listed[1].last_used_at) == (phone_logged_in_at, phone_logged_in_at)
    assert [s.current for s in flows.service.list_sessions(laptop)] == [True, False, False]


def test_sessions_lists_only_the_callers_own_sessions(flows):
    mine = flows.service.authenticate(flows.register().tokens.access_token)
    flows.register()

    assert [s.id for s in flows.service.list_sessions(mine)] == [mine.session_id]


def test_ending_another_session_ends_it_and_keeps_the_callers(flows):
    email = unique_email()
    caller_tokens = flows.register(email=email).tokens
    other_tokens = flows.login(email).tokens
    caller = flows.service.authenticate(caller_tokens.access_token)
    other = flows.service.authenticate(other_tokens.access_token)

    flows.service.revoke_session(caller, other.session_id)

    assert_ended(flows, other_tokens)
    assert flows.service.authenticate(caller_tokens.access_token) == caller
    assert [s.id for s in flows.service.list_sessions(caller)] == [caller.session_id]


def test_ending_ones_own_current_session_logs_one_out(flows):
    tokens = flows.register().tokens
    me = flows.service.authenticate(tokens.access_token)

    flows.service.revoke_session(me, me.session_id)

    assert_ended(flows, tokens)


def test_ending_another_customers_or_an_unknown_session_is_not_found_and_changes_nothing(flows):
    caller = flows.service.authenticate(flows.register().tokens.access_token)
    victim_tokens = flows.register().tokens
    victim = flows.service.authenticate(victim_tokens.access_token)

    errors = []
    for session_id in [victim.session_id, Id(secrets.token_hex(12))]:
        with pytest.raises(NotFound) as refused:
            flows.service.revoke_session(caller, session_id)
        errors.append(str(refused.value))

    assert errors[0] == errors[1]
    assert flows.service.authenticate(victim_tokens.access_token) == victim
    assert refresh(flows, victim_tokens.refresh_token)


# --- access tokens ----------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [None, "", "not.a.jwt", "eyJhbGciOiJFZERTQSJ9.e30.c2ln"],
    ids=["none", "empty", "garbage", "jwt-shaped-garbage"],
)
def test_a_missing_or_malformed_access_token_is_unauthenticated(flows, token):
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(token)


def test_a_refresh_token_is_not_an_access_token(flows):
    tokens = flows.register().tokens

    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.refresh_token)


def test_a_genuine_token_naming_another_customers_session_is_refused(flows):
    mine = flows.service.authenticate(flows.register().tokens.access_token)
    theirs = flows.service.authenticate(flows.register().tokens.access_token)
    signer = flows.service.authenticate.access_tokens
    now = flows.clock.now()

    own = signer.issue(customer_id=mine.customer_id, session_id=mine.session_id, now=now).token
    crossed = signer.issue(customer_id=mine.customer_id, session_id=theirs.session_id, now=now).token

    assert flows.service.authenticate(own) == mine
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(crossed)


def test_a_genuine_token_for_a_session_that_never_existed_is_refused(flows):
    customer = flows.register().customer
    signer = flows.service.authenticate.access_tokens
    token = signer.issue(customer_id=customer.id, session_id=Id(secrets.token_hex(12)), now=flows.clock.now()).token

    with pytest.raises(Unauthenticated):
        flows.service.authenticate(token)


def test_no_token_for_a_logged_out_session_works_not_even_a_freshly_signed_one(flows):
    tokens = flows.register().tokens
    principal = flows.service.authenticate(tokens.access_token)
    flows.service.logout(principal)
    flows.clock.advance(dt.timedelta(seconds=1))
    signer = flows.service.authenticate.access_tokens
    fresh = signer.issue(customer_id=principal.customer_id, session_id=principal.session_id, now=flows.clock.now())

    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.access_token)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(fresh.token)


def test_refreshing_never_takes_a_session_past_its_maximum_lifetime(make_flows):
    flows = make_flows(refresh_token_ttl=7 * 86400, session_max_seconds=10 * 86400)
    tokens = flows.register().tokens
    assert tokens.refresh_expires_in == 7 * 86400
    for _ in range(3):  # refreshed on days 3, 6 and 9: each refresh token lives up to the 10th day only
        flows.clock.advance(dt.timedelta(days=3))
        tokens = refresh(flows, tokens.refresh_token)
    assert tokens.refresh_expires_in == 86400

    flows.clock.advance(dt.timedelta(days=1) - dt.timedelta(milliseconds=1))
    assert flows.service.authenticate(tokens.access_token)
    flows.clock.advance(dt.timedelta(milliseconds=1))
    assert_ended(flows, tokens)
