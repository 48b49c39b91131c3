import datetime as dt
import threading
import uuid

import pytest

from tests.support import API, assert_problem, bearer, register, unique_email

ME = f"{API}/me"
PREFERENCES = f"{API}/me/preferences"


@pytest.fixture
def customer(client):
    return register(client)


@pytest.fixture
def auth(customer):
    return bearer(customer["tokens"])


def moment(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def error_fields(body):
    return {error["field"] for error in body["errors"]}


def test_me_returns_the_authenticated_customer(client, customer, auth):
    response = client.get(ME, headers=auth)

    assert response.status_code == 200
    me = response.json()
    assert me == customer["customer"]
    assert me["firstName"] == "Ada"
    assert me["phone"] is None
    assert me["preferences"] == {"newsletter": False, "smsNotifications": False, "language": "en", "currency": "USD"}
    assert not {"password", "passwordHash", "failedLogins", "lockedUntil"} & me.keys()


MEDIA_ID = uuid.UUID("d2498f2b-2036-480e-9239-2d6a76096f8f")


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("firstName", "  Grace ", "Grace"),
        ("lastName", "Hopper", "Hopper"),
        ("phone", "+44 (20) 7946-0958", "+442079460958"),
        ("phone", "+1.212.555.0100", "+12125550100"),
        ("dateOfBirth", "1906-12-09", "1906-12-09"),
        ("gender", "non_binary", "non_binary"),
        ("profileImage", str(MEDIA_ID).upper(), str(MEDIA_ID)),
    ],
)
def test_patching_one_field_changes_only_that_field(client, customer, auth, field, sent, stored):
    before = customer["customer"]

    response = client.patch(ME, json={field: sent}, headers=auth)

    assert response.status_code == 200, response.text
    after = response.json()
    assert after[field] == stored
    unchanged = set(before) - {field, "updatedAt"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert client.get(ME, headers=auth).json() == after


def test_patch_moves_updated_at_and_keeps_created_at(client, customer, auth):
    before = customer["customer"]

    after = client.patch(ME, json={"lastName": "Byron"}, headers=auth).json()

    assert moment(after["updatedAt"]) > moment(before["updatedAt"])
    assert after["createdAt"] == before["createdAt"]


@pytest.mark.parametrize("field", ["phone", "dateOfBirth", "gender", "profileImage"])
def test_null_clears_an_optional_field(client, field):
    tokens = register(client, phone="+441234567890", dateOfBirth="1990-05-01", gender="female")["tokens"]
    set_image = client.patch(ME, json={"profileImage": str(uuid.uuid4())}, headers=bearer(tokens))
    assert set_image.json()[field] is not None

    response = client.patch(ME, json={field: None}, headers=bearer(tokens))

    assert response.status_code == 200, response.text
    assert response.json()[field] is None
    assert client.get(ME, headers=bearer(tokens)).json()[field] is None
    others = {"phone", "dateOfBirth", "gender", "profileImage"} - {field}
    assert all(response.json()[other] is not None for other in others)


@pytest.mark.parametrize("field", ["firstName", "lastName"])
def test_null_for_a_required_name_is_rejected(client, customer, auth, field):
    body = assert_problem(client.patch(ME, json={field: None}, headers=auth), 422, "VALIDATION_ERROR")

    assert field in error_fields(body)
    assert client.get(ME, headers=auth).json()[field] == customer["customer"][field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "mallory@example.com"),
        ("isVerified", True),
        ("emailVerified", True),
        ("loyaltyPoints", 1_000_000),
        ("totalSpent", 99.5),
        ("password", "a brand new password"),
        ("id", "0123456789abcdef01234567"),
        ("isActive", False),
        ("favouriteColour", "green"),
    ],
)
def test_a_field_the_client_may_not_set_is_rejected(client, customer, auth, field, value):
    response = client.patch(ME, json={"firstName": "Eve", field: value}, headers=auth)

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)
    assert client.get(ME, headers=auth).json() == customer["customer"]


def test_an_empty_patch_is_rejected(client, customer, auth):
    assert_problem(client.patch(ME, json={}, headers=auth), 422, "VALIDATION_ERROR")
    assert client.get(ME, headers=auth).json() == customer["customer"]


def test_every_invalid_field_is_listed(client, customer, auth):
    response = client.patch(
        ME,
        json={
            "firstName": "   ",
            "lastName": "x" * 101,
            "phone": "call me",
            "dateOfBirth": "2999-01-01",
            "gender": "robot",
            "profileImage": "cat.png",
        },
        headers=auth,
    )

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"firstName", "lastName", "phone", "dateOfBirth", "gender", "profileImage"}
    assert all(error["message"] for error in body["errors"])
    assert client.get(ME, headers=auth).json() == customer["customer"]


@pytest.mark.parametrize(
    "image", ["not-a-uuid", "", "1234", 42, ["3f0c"], {"id": "3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f"}]
)
def test_profile_image_must_be_a_uuid(client, auth, image):
    body = assert_problem(client.patch(ME, json={"profileImage": image}, headers=auth), 422, "VALIDATION_ERROR")

    assert error_fields(body) == {"profileImage"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("dateOfBirth", "2000-02-30"), ("dateOfBirth", "10/12/1815"), ("dateOfBirth", "1800-01-01"), ("phone", "12345")],
)
def test_invalid_profile_values_are_rejected(client, auth, field, value):
    body = assert_problem(client.patch(ME, json={field: value}, headers=auth), 422, "VALIDATION_ERROR")

    assert error_fields(body) == {field}


def test_preferences_start_with_defaults(client, auth):
    response = client.get(PREFERENCES, headers=auth)

    assert response.status_code == 200
    assert response.json() == {"newsletter": False, "smsNotifications": False, "language": "en", "currency": "USD"}


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("newsletter", True, True),
        ("smsNotifications", True, True),
        ("language", "pt_br", "pt-BR"),
        ("language", "ZH-hant-tw", "zh-Hant-TW"),
        ("language", "de", "de"),
        ("currency", "eur", "EUR"),
        ("currency", " jpy ", "JPY"),
    ],
)
def test_patching_one_preference_changes_only_that_one(client, auth, field, sent, stored):
    before = client.get(PREFERENCES, headers=auth).json()

    response = client.patch(PREFERENCES, json={field: sent}, headers=auth)

    assert response.status_code == 200, response.text
    assert response.json() == {**before, field: stored}
    assert client.get(PREFERENCES, headers=auth).json() == response.json()
    assert client.get(ME, headers=auth).json()["preferences"] == response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("newsletter", "true"),
        ("newsletter", None),
        ("newsletter", 1),
        ("smsNotifications", "yes"),
        ("smsNotifications", None),
        ("language", 5),
        ("language", None),
        ("language", "not a language"),
        ("language", "e"),
        ("currency", "XYZ"),
        ("currency", "dollars"),
        ("currency", None),
        ("timezone", "Europe/London"),
    ],
)
def test_invalid_preference_is_rejected_and_nothing_changes(client, auth, field, value):
    before = client.get(PREFERENCES, headers=auth).json()

    response = client.patch(PREFERENCES, json={"newsletter": True, field: value}, headers=auth)

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)
    assert client.get(PREFERENCES, headers=auth).json() == before


def test_an_empty_preferences_patch_is_rejected(client, auth):
    assert_problem(client.patch(PREFERENCES, json={}, headers=auth), 422, "VALIDATION_ERROR")


def test_every_invalid_preference_is_listed(client, auth):
    response = client.patch(PREFERENCES, json={"language": "??", "currency": "XYZ"}, headers=auth)

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"language", "currency"}


def test_concurrent_patches_of_different_fields_all_survive(client, auth):
    rounds = [
        (
            {"newsletter": True, "smsNotifications": True, "language": "fr", "currency": "EUR"},
            {
                "firstName": "Grace",
                "lastName": "Hopper",
                "phone": "+12125550100",
                "dateOfBirth": "1906-12-09",
                "gender": "female",
                "profileImage": str(uuid.uuid4()),
            },
        ),
        (
            {"newsletter": False, "smsNotifications": False, "language": "pt-BR", "currency": "BRL"},
            {
                "firstName": "Alan",
                "lastName": "Turing",
                "phone": "+442079460958",
                "dateOfBirth": "1912-06-23",
                "gender": "male",
                "profileImage": str(uuid.uuid4()),
            },
        ),
    ]
    for preferences, profile in rounds:
        requests = [(PREFERENCES, {name: value}) for name, value in preferences.items()]
        requests += [(ME, {name: value}) for name, value in profile.items()]
        assert len(requests) == 10
        barrier = threading.Barrier(len(requests))
        statuses = []

        def send(path, body, barrier=barrier, statuses=statuses):
            barrier.wait()
            statuses.append(client.patch(path, json=body, headers=auth).status_code)

        threads = [threading.Thread(target=send, args=request) for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert statuses == [200] * len(requests)
        me = client.get(ME, headers=auth).json()
        assert me["preferences"] == preferences
        assert {name: me[name] for name in profile} == profile


def test_one_customers_patch_does_not_touch_another(client, auth):
    other = register(client, email=unique_email("other"))

    client.patch(ME, json={"firstName": "Changed"}, headers=auth)
    client.patch(PREFERENCES, json={"currency": "GBP"}, headers=auth)

    assert client.get(ME, headers=bearer(other["tokens"])).json() == other["customer"]


ROUTES = [
    ("GET", ME, None),
    ("PATCH", ME, {"firstName": "Eve"}),
    ("GET", PREFERENCES, None),
    ("PATCH", PREFERENCES, {"newsletter": True}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not.a.token"}, {"Authorization": "Basic YWRhOnB3"}, {"Authorization": "Bearer"}],
    ids=["none", "garbage", "basic", "empty"],
)
def test_profile_routes_require_a_valid_token(client, method, path, body, headers):
    response = client.request(method, path, json=body, headers=headers)

    assert_problem(response, 401, "UNAUTHENTICATED")


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_profile_routes_refuse_a_logged_out_token(client, customer, auth, method, path, body):
    assert client.post(f"{API}/auth/logout", headers=auth).status_code == 204

    assert_problem(client.request(method, path, json=body, headers=auth), 401, "UNAUTHENTICATED")
