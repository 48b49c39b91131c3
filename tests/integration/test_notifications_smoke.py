from tests.support import API, bearer, register, unique_email


def test_registration_sends_welcome_and_a_verification_link_that_verifies(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    registered = register(client, email=email)

    assert notifications.wait_for("welcome", email).body["data"]["firstName"] == "Ada"
    token = notifications.token("email_verification", email)
    verified = client.post(f"{API}/auth/verify-email", json={"token": token})

    assert verified.status_code == 200, verified.text
    assert verified.json()["customer"]["emailVerified"] is True
    me = client.get(f"{API}/me", headers=bearer(registered["tokens"])).json()
    assert me["emailVerified"] is True and me["isVerified"] is True
