"""Activity and consents over HTTP: the shapes, the client as the edge saw
it, paging, and the answers to bad parameters."""

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

ME = f"{API}/me"


def test_activity_lists_security_events_with_the_client_as_the_edge_saw_it(client):
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    headers = {"User-Agent": "shop-app/2.1", "X-Request-ID": "trace-42", "X-Forwarded-For": "203.0.113.9"}
    client.post(f"{API}/auth/login", json={"email": email, "password": "not it at all"}, headers=headers)

    answer = client.get(f"{ME}/activity", headers=bearer(tokens))

    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["nextBefore"] is None
    failed = body["items"][0]
    assert set(failed) == {"type", "at", "ipAddress", "userAgent", "detail"}
    assert (failed["type"], failed["ipAddress"], failed["userAgent"]) == ("login_failed", "127.0.0.1", "shop-app/2.1")
    assert [item["type"] for item in body["items"]] == ["login_failed", "consent_changed"]


def test_activity_pages_with_limit_and_next_before(client):
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    for _ in range(3):
        client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})

    first = client.get(f"{ME}/activity", params={"limit": 2}, headers=bearer(tokens)).json()
    rest = client.get(f"{ME}/activity", params={"before": first["nextBefore"]}, headers=bearer(tokens)).json()

    assert len(first["items"]) == 2 and first["nextBefore"]
    assert [item["type"] for item in first["items"] + rest["items"]] == ["login_succeeded"] * 3 + ["consent_changed"]
    assert rest["nextBefore"] is None


def test_bad_paging_parameters_are_400_naming_the_parameter(client):
    tokens = register(client)["tokens"]

    for params, field in [({"limit": 0}, "limit"), ({"limit": "many"}, "limit"), ({"before": "nope"}, "before")]:
        problem = assert_problem(
            client.get(f"{ME}/activity", params=params, headers=bearer(tokens)), 400, "BAD_REQUEST"
        )
        assert [error["field"] for error in problem["errors"]] == [field]


def test_consents_list_every_change_newest_first(client):
    tokens = register(client, preferences={"newsletter": True})["tokens"]
    client.patch(f"{ME}/preferences", json={"newsletter": False}, headers=bearer(tokens))

    answer = client.get(f"{ME}/consents", headers=bearer(tokens))

    assert answer.status_code == 200
    items = answer.json()["items"]
    assert set(items[0]) == {"purpose", "granted", "at", "source", "policyVersion"}
    assert (items[0]["purpose"], items[0]["granted"], items[0]["source"]) == ("newsletter", False, "preferences")
    assert {(i["purpose"], i["granted"], i["source"], i["policyVersion"]) for i in items[1:]} == {
        ("newsletter", True, "registration", "1"),
        ("sms", False, "registration", "1"),
    }


def test_records_need_a_token(client):
    for path in ("activity", "consents"):
        assert_problem(client.get(f"{ME}/{path}"), 401, "UNAUTHENTICATED")
