"""GET /me/export and DELETE /me over HTTP: what only HTTP shows."""

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

ME = f"{API}/me"


def test_the_export_is_a_json_attachment_in_the_apis_shapes(client):
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    answer = client.get(f"{ME}/export", headers=bearer(tokens))

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-disposition"].startswith('attachment; filename="customer-')
    assert answer.headers["cache-control"] == "no-store"
    document = answer.json()
    assert (document["format"], document["version"]) == ("customer-service/export", 1)
    assert document["profile"] == client.get(ME, headers=bearer(tokens)).json()
    assert set(document) >= {"preferences", "addresses", "consents", "sessions", "activity", "auditEvents"}
    assert "passwordHash" not in answer.text and "currentTokenDigest" not in answer.text
    assert document["auditEvents"][0]["type"] == "data_exported"


def test_deleting_the_account_needs_the_password(client):
    tokens = register(client)["tokens"]

    assert_problem(
        client.request("DELETE", ME, json={"password": "not it"}, headers=bearer(tokens)), 403, "INVALID_CREDENTIALS"
    )
    assert_problem(client.request("DELETE", ME, json={}, headers=bearer(tokens)), 422, "VALIDATION_ERROR")
    assert_problem(client.request("DELETE", ME, json={"password": PASSWORD}), 401, "UNAUTHENTICATED")
    assert client.get(ME, headers=bearer(tokens)).status_code == 200


def test_after_deletion_tokens_fail_the_email_registers_again_and_a_farewell_is_mailed(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    answer = client.request("DELETE", ME, json={"password": PASSWORD}, headers=bearer(tokens))

    assert answer.status_code == 204 and answer.content == b""
    assert_problem(client.get(ME, headers=bearer(tokens)), 401, "UNAUTHENTICATED")
    refreshed = client.post(f"{API}/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert refreshed.status_code == 401
    farewell = notifications.wait_for("account_deleted", email)
    assert farewell.body["data"]["firstName"] == "Ada"
    assert register(client, email=email)["customer"]["email"] == email
