import datetime as dt
import re
import secrets
import time

import pytest

from tests.support import API, assert_problem, bearer, register

ADDRESSES = f"{API}/addresses"
ADDRESS_FIELDS = {
    "id", "type", "label", "firstName", "lastName", "company", "street", "street2", "city", "state", "country",
    "postalCode", "phone", "isDefaultShipping", "isDefaultBilling", "createdAt", "updatedAt",
}  # fmt: skip
US = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
      "state": "CA", "postalCode": "94043", "country": "US"}  # fmt: skip
FULL = {**US, "type": "work", "label": "Office", "company": "Analytical Engines Ltd", "street2": "Building 40",
        "phone": "+16502530000"}  # fmt: skip
IE = {"firstName": "Ada", "lastName": "Lovelace", "street": "1 Grand Canal Sq", "city": "Dublin",
      "state": "Co. Dublin", "postalCode": "D02 X285", "country": "IE"}  # fmt: skip
AE = {"firstName": "Ada", "lastName": "Lovelace", "street": "1 Sheikh Zayed Rd", "city": "Dubai", "state": "Dubai",
      "country": "AE"}  # fmt: skip


@pytest.fixture
def auth(client):
    return bearer(register(client)["tokens"])


def add(client, auth, body=None, **changes):
    response = client.post(ADDRESSES, json={**(body or US), **changes}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def listed(client, auth):
    response = client.get(ADDRESSES, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def defaults(client, auth):
    items = listed(client, auth)
    return (
        [a["id"] for a in items if a["isDefaultShipping"]],
        [a["id"] for a in items if a["isDefaultBilling"]],
    )


def moment(text):
    assert text.endswith("Z")
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def invalid_fields(response):
    return {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}


def without_request_id(response):
    return {key: value for key, value in response.json().items() if key != "requestId"}


# --- routes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("POST", ""),
        ("GET", "/0123456789abcdef01234567"),
        ("PATCH", "/0123456789abcdef01234567"),
        ("DELETE", "/0123456789abcdef01234567"),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_every_address_route_needs_a_valid_token(client, method, path, headers):
    response = client.request(
        method, ADDRESSES + path, json=US if method in ("POST", "PATCH") else None, headers=headers
    )

    assert_problem(response, 401, "UNAUTHENTICATED")


def test_created_address_has_every_field_of_the_contract_and_nothing_else(client, auth):
    response = client.post(ADDRESSES, json=FULL, headers=auth)

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == ADDRESS_FIELDS
    assert {key: created[key] for key in FULL} == FULL
    assert re.fullmatch(r"[0-9a-f]{24}", created["id"])
    assert moment(created["createdAt"]) == moment(created["updatedAt"])
    assert abs(moment(created["createdAt"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert client.get(f"{ADDRESSES}/{created['id']}", headers=auth).json() == created
    assert listed(client, auth) == [created]


def test_omitted_optional_fields_are_null_and_type_is_home(client, auth):
    created = add(client, auth, AE)

    assert created["type"] == "home"
    assert all(created[name] is None for name in ("label", "company", "street2", "postalCode", "phone"))


def test_text_is_trimmed_and_phone_is_stored_in_e164(client, auth):
    created = add(client, auth, firstName="  Grace ", city=" Mountain View ", phone="+1 (650) 253-0000")

    assert (created["firstName"], created["city"], created["phone"]) == ("Grace", "Mountain View", "+16502530000")


def test_an_empty_book_lists_nothing(client, auth):
    assert listed(client, auth) == []


def test_list_shows_default_addresses_first(client, auth):
    first, second, third = (add(client, auth, label=f"#{n}")["id"] for n in range(3))
    assert [a["id"] for a in listed(client, auth)] == [first, second, third]

    client.patch(f"{ADDRESSES}/{third}", json={"isDefaultShipping": True}, headers=auth)
    assert [a["id"] for a in listed(client, auth)] == [third, first, second]

    client.patch(f"{ADDRESSES}/{second}", json={"isDefaultBilling": True}, headers=auth)
    assert [a["id"] for a in listed(client, auth)] == [third, second, first]


def test_patch_changes_only_the_given_fields_and_moves_updated_at(client, auth):
    before = add(client, auth, FULL)
    time.sleep(0.01)

    response = client.patch(
        f"{ADDRESSES}/{before['id']}", json={"label": "HQ", "phone": "+44 20 7946 0958"}, headers=auth
    )

    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["label"], after["phone"]) == ("HQ", "+442079460958")
    unchanged = ADDRESS_FIELDS - {"label", "phone", "updatedAt"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    assert moment(after["updatedAt"]) > moment(before["updatedAt"])
    assert client.get(f"{ADDRESSES}/{before['id']}", headers=auth).json() == after


def test_null_clears_optional_fields(client, auth):
    created = add(client, auth, IE, label="Home", company="ACME", street2="Flat 2", phone="+35312345678")
    cleared = ["label", "company", "street2", "state", "postalCode", "phone"]

    response = client.patch(f"{ADDRESSES}/{created['id']}", json=dict.fromkeys(cleared), headers=auth)

    assert response.status_code == 200, response.text
    assert all(response.json()[name] is None for name in cleared)
    assert response.json()["street"] == IE["street"]


@pytest.mark.parametrize("field", ["state", "postalCode"])
def test_null_for_a_field_the_country_requires_is_rejected(client, auth, field):
    created = add(client, auth)

    response = client.patch(f"{ADDRESSES}/{created['id']}", json={field: None}, headers=auth)

    assert invalid_fields(response) == {field}
    assert client.get(f"{ADDRESSES}/{created['id']}", headers=auth).json() == created


@pytest.mark.parametrize(
    "field", ["firstName", "lastName", "street", "city", "country", "type", "isDefaultShipping", "isDefaultBilling"]
)
def test_null_for_a_required_field_is_rejected(client, auth, field):
    created = add(client, auth)

    response = client.patch(f"{ADDRESSES}/{created['id']}", json={field: None}, headers=auth)

    assert invalid_fields(response) == {field}
    assert client.get(f"{ADDRESSES}/{created['id']}", headers=auth).json() == created


def test_deleted_address_is_gone(client, auth):
    created = add(client, auth)
    path = f"{ADDRESSES}/{created['id']}"

    response = client.delete(path, headers=auth)

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(path, headers=auth), 404, "NOT_FOUND")
    assert_problem(client.patch(path, json={"label": "x"}, headers=auth), 404, "NOT_FOUND")
    assert_problem(client.delete(path, headers=auth), 404, "NOT_FOUND")
    assert listed(client, auth) == []


# --- validation -------------------------------------------------------------


@pytest.mark.parametrize("field", ["id", "createdAt", "updatedAt", "customerId", "nickname", "first_name", "$set"])
def test_unknown_and_read_only_fields_are_rejected_by_name(client, auth, field):
    created = add(client, auth)

    assert invalid_fields(client.post(ADDRESSES, json={**US, field: "x"}, headers=auth)) == {field}
    assert invalid_fields(client.patch(f"{ADDRESSES}/{created['id']}", json={field: "x"}, headers=auth)) == {field}
    assert listed(client, auth) == [created]


@pytest.mark.parametrize("value", ["office", "HOME", "", "billing"])
def test_type_must_be_home_work_or_other(client, auth, value):
    assert invalid_fields(client.post(ADDRESSES, json={**US, "type": value}, headers=auth)) == {"type"}


@pytest.mark.parametrize("value", ["home", "work", "other"])
def test_each_address_type_is_accepted(client, auth, value):
    assert add(client, auth, type=value)["type"] == value


@pytest.mark.parametrize(("sent", "stored"), [("de", "DE"), (" De ", "DE")])
def test_country_is_normalised_to_upper_case(client, auth, sent, stored):
    body = {**US, "country": sent, "postalCode": "10115", "city": "Berlin", "state": None}

    assert add(client, auth, body)["country"] == stored


@pytest.mark.parametrize("value", ["USA", "12", "XX", "U", "", "U5"])
def test_country_must_be_a_known_alpha_2_code(client, auth, value):
    assert invalid_fields(client.post(ADDRESSES, json={**US, "country": value}, headers=auth)) == {"country"}


@pytest.mark.parametrize("value", ["6502530000", "+0123456789", "+1 650 CALL ME", "+12345", "+1234567890123456", ""])
def test_phone_must_be_e164(client, auth, value):
    assert invalid_fields(client.post(ADDRESSES, json={**US, "phone": value}, headers=auth)) == {"phone"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("firstName", 100), ("lastName", 100), ("street", 200), ("street2", 200), ("label", 50), ("company", 100),
     ("city", 100)],
)  # fmt: skip
def test_strings_over_their_limit_are_rejected(client, auth, field, limit):
    assert add(client, auth, **{field: "a" * limit})[field] == "a" * limit

    response = client.post(ADDRESSES, json={**US, field: "a" * (limit + 1)}, headers=auth)

    assert invalid_fields(response) == {field}


@pytest.mark.parametrize("field", ["firstName", "street", "label"])
@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x1b[31m", "\u200b"])
def test_control_and_format_characters_are_rejected(client, auth, field, bad):
    response = client.post(ADDRESSES, json={**US, field: f"Ada{bad}x"}, headers=auth)

    assert invalid_fields(response) == {field}


@pytest.mark.parametrize("field", ["firstName", "lastName", "street", "city"])
def test_blank_required_text_is_rejected(client, auth, field):
    assert invalid_fields(client.post(ADDRESSES, json={**US, field: "   "}, headers=auth)) == {field}


def test_every_invalid_field_is_listed_at_once(client, auth):
    body = {**US, "type": "office", "country": "12", "phone": "call me", "firstName": "a" * 101, "street": "\x00"}

    response = client.post(ADDRESSES, json=body, headers=auth)

    assert invalid_fields(response) == {"type", "country", "phone", "firstName", "street"}
    assert listed(client, auth) == []


def test_every_invalid_field_of_a_patch_is_listed_at_once(client, auth):
    created = add(client, auth)

    response = client.patch(
        f"{ADDRESSES}/{created['id']}", json={"type": "x", "label": "\u202e", "phone": "1"}, headers=auth
    )

    assert invalid_fields(response) == {"type", "label", "phone"}


@pytest.mark.parametrize("field", ["firstName", "lastName", "street", "city", "country"])
def test_create_names_a_missing_required_field(client, auth, field):
    body = {key: value for key, value in US.items() if key != field}

    response = client.post(ADDRESSES, json=body, headers=auth)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert problem["errors"] == [{"field": field, "message": "is required"}]


def test_create_without_any_field_is_rejected(client, auth):
    fields = invalid_fields(client.post(ADDRESSES, json={}, headers=auth))

    assert fields and fields <= {"firstName", "lastName", "street", "city", "country"}
    assert listed(client, auth) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("firstName", 5),
        ("street", {"$ne": None}),
        ("country", ["US"]),
        ("isDefaultShipping", "yes"),
        ("isDefaultBilling", 1),
        ("type", True),
        ("phone", 16502530000),
        ("postalCode", 94043),
    ],
)
def test_wrong_json_types_are_rejected(client, auth, field, value):
    created = add(client, auth)

    assert invalid_fields(client.post(ADDRESSES, json={**US, field: value}, headers=auth)) == {field}
    assert invalid_fields(client.patch(f"{ADDRESSES}/{created['id']}", json={field: value}, headers=auth)) == {field}
    assert listed(client, auth) == [created]


@pytest.mark.parametrize("body", [b"[]", b'"US"', b"1", b"null"])
def test_a_body_that_is_not_an_object_is_rejected(client, auth, body):
    created = add(client, auth)
    headers = {**auth, "Content-Type": "application/json"}

    assert_problem(client.post(ADDRESSES, content=body, headers=headers), 422, "VALIDATION_ERROR")
    response = client.patch(f"{ADDRESSES}/{created['id']}", content=body, headers=headers)
    assert_problem(response, 422, "VALIDATION_ERROR")


def test_malformed_json_is_a_bad_request(client, auth):
    created = add(client, auth)
    headers = {**auth, "Content-Type": "application/json"}

    assert_problem(client.post(ADDRESSES, content=b'{"firstName": ', headers=headers), 400, "BAD_REQUEST")
    assert_problem(client.post(ADDRESSES, content=b"", headers=headers), 400, "BAD_REQUEST")
    assert_problem(client.patch(f"{ADDRESSES}/{created['id']}", content=b"{'a'}", headers=headers), 400, "BAD_REQUEST")


def test_an_empty_patch_is_rejected(client, auth):
    created = add(client, auth)

    response = client.patch(f"{ADDRESSES}/{created['id']}", json={}, headers=auth)

    assert invalid_fields(response) == {"body"}
    assert client.get(f"{ADDRESSES}/{created['id']}", headers=auth).json() == created


# --- postal rules -----------------------------------------------------------

GB = {"firstName": "Ada", "lastName": "Lovelace", "street": "10 Downing St", "city": "London", "country": "GB"}
DE = {"firstName": "Ada", "lastName": "Lovelace", "street": "Unter den Linden 1", "city": "Berlin", "country": "DE"}
CA = {"firstName": "Ada", "lastName": "Lovelace", "street": "301 Front St W", "city": "Toronto", "country": "CA"}
JP = {"firstName": "Ada", "lastName": "Lovelace", "street": "1-1 Chiyoda", "city": "Chiyoda-ku", "country": "JP"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({**US, "state": "california"}, {"state": "CA", "postalCode": "94043"}),
        ({**US, "state": "CA", "postalCode": "94043-1351"}, {"state": "CA", "postalCode": "94043-1351"}),
        ({**GB, "postalCode": "sw1a 2aa"}, {"state": None, "postalCode": "SW1A 2AA"}),
        ({**GB, "postalCode": "SW1A2AA"}, {"postalCode": "SW1A2AA"}),
        ({**DE, "postalCode": "10117"}, {"state": None, "postalCode": "10117"}),
        ({**CA, "state": "Ontario", "postalCode": "m5v 3l9"}, {"state": "ON", "postalCode": "M5V 3L9"}),
        ({**JP, "state": "Tokyo", "postalCode": "100-0001"}, {"state": "Tokyo", "postalCode": "100-0001"}),
        (AE, {"state": "Dubai", "postalCode": None}),
        ({**AE, "postalCode": None}, {"postalCode": None}),
    ],
    ids=["US-state-name", "US-zip+4", "GB-lower", "GB-compact", "DE", "CA", "JP", "AE-none", "AE-null"],
)
def test_valid_postal_addresses_are_stored_normalised(client, auth, body, expected):
    created = add(client, auth, body)

    assert {key: created[key] for key in expected} == expected
    assert created["country"] == body["country"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**US, "state": None}, "state", "is required in this country"),
        ({key: value for key, value in US.items() if key != "state"}, "state", "is required in this country"),
        ({**US, "state": "Atlantis"}, "state", "is not valid for this country"),
        ({**US, "postalCode": "9404"}, "postalCode", "is not valid for this country"),
        ({**US, "postalCode": "ABCDE"}, "postalCode", "is not valid for this country"),
        ({**US, "postalCode": None}, "postalCode", "is required in this country"),
        ({**US, "state": "NY"}, "postalCode", "is not valid for this country"),
        ({**GB, "postalCode": "XXXX"}, "postalCode", "is not valid for this country"),
        (GB, "postalCode", "is required in this country"),
        ({**DE, "postalCode": "1011"}, "postalCode", "is not valid for this country"),
        ({**DE, "postalCode": "101155"}, "postalCode", "is not valid for this country"),
        ({**CA, "state": "ON", "postalCode": "12345"}, "postalCode", "is not valid for this country"),
        ({**CA, "postalCode": "M5V 3L9"}, "state", "is required in this country"),
        ({**JP, "state": "Tokyo", "postalCode": "100"}, "postalCode", "is not valid for this country"),
        ({**AE, "postalCode": "12345"}, "postalCode", "is not used in this country"),
    ],
    ids=["US-null-state", "US-no-state", "US-bad-state", "US-short-zip", "US-letters", "US-no-zip", "US-other-state",
         "GB-bad", "GB-none", "DE-short", "DE-long", "CA-zip", "CA-no-province", "JP-short", "AE-postal-code"],
)  # fmt: skip
def test_invalid_postal_addresses_are_rejected_on_the_field(client, auth, body, field, message):
    response = client.post(ADDRESSES, json=body, headers=auth)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert problem["errors"] == [{"field": field, "message": message}]
    assert listed(client, auth) == []


def test_changing_only_the_country_revalidates_the_postal_code(client, auth):
    created = add(client, auth)
    path = f"{ADDRESSES}/{created['id']}"

    response = client.patch(path, json={"country": "gb"}, headers=auth)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert problem["errors"] == [{"field": "postalCode", "message": "is not valid for this country"}]
    assert client.get(path, headers=auth).json() == created

    moved = client.patch(path, json={"country": "gb", "postalCode": "sw1a 2aa", "state": None}, headers=auth)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["country"], moved.json()["postalCode"]) == ("GB", "SW1A 2AA")


def test_changing_the_country_to_one_without_postal_codes_needs_the_code_removed(client, auth):
    created = add(client, auth)
    path = f"{ADDRESSES}/{created['id']}"

    rejected = client.patch(path, json={"country": "AE", "state": "Dubai", "city": "Dubai"}, headers=auth)
    assert assert_problem(rejected, 422, "VALIDATION_ERROR")["errors"] == [
        {"field": "postalCode", "message": "is not used in this country"}
    ]

    response = client.patch(
        path, json={"country": "AE", "state": "Dubai", "city": "Dubai", "postalCode": None}, headers=auth
    )
    assert response.status_code == 200, response.text
    assert (response.json()["country"], response.json()["postalCode"]) == ("AE", None)


def test_patching_the_postal_code_alone_is_checked_against_the_stored_country(client, auth):
    created = add(client, auth, GB, postalCode="SW1A 2AA")
    path = f"{ADDRESSES}/{created['id']}"

    assert invalid_fields(client.patch(path, json={"postalCode": "94043"}, headers=auth)) == {"postalCode"}
    response = client.patch(path, json={"postalCode": "ec1a 1bb"}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["postalCode"] == "EC1A 1BB"


# --- defaults ---------------------------------------------------------------


def test_the_first_address_is_the_default_for_both_and_a_second_for_neither(client, auth):
    first = add(client, auth)
    second = add(client, auth)

    assert first["isDefaultShipping"] and first["isDefaultBilling"]
    assert not second["isDefaultShipping"] and not second["isDefaultBilling"]
    assert defaults(client, auth) == ([first["id"]], [first["id"]])


def test_creating_a_default_shipping_address_moves_only_the_shipping_default(client, auth):
    first = add(client, auth)

    second = add(client, auth, isDefaultShipping=True)

    assert second["isDefaultShipping"] and not second["isDefaultBilling"]
    assert defaults(client, auth) == ([second["id"]], [first["id"]])


def test_creating_a_default_billing_address_moves_only_the_billing_default(client, auth):
    first = add(client, auth)

    second = add(client, auth, isDefaultBilling=True)

    assert defaults(client, auth) == ([first["id"]], [second["id"]])


def test_setting_default_billing_on_an_address_moves_the_billing_default(client, auth):
    first = add(client, auth)
    second = add(client, auth)

    response = client.patch(f"{ADDRESSES}/{second['id']}", json={"isDefaultBilling": True}, headers=auth)

    assert response.status_code == 200, response.text
    assert response.json()["isDefaultBilling"] and not response.json()["isDefaultShipping"]
    assert defaults(client, auth) == ([first["id"]], [second["id"]])


def test_setting_a_default_that_is_already_set_changes_nothing_else(client, auth):
    first = add(client, auth)
    add(client, auth)

    response = client.patch(f"{ADDRESSES}/{first['id']}", json={"isDefaultShipping": True}, headers=auth)

    assert response.status_code == 200, response.text
    assert defaults(client, auth) == ([first["id"]], [first["id"]])


def test_unsetting_the_default_shipping_address_leaves_no_shipping_default(client, auth):
    first = add(client, auth)
    add(client, auth)

    response = client.patch(f"{ADDRESSES}/{first['id']}", json={"isDefaultShipping": False}, headers=auth)

    assert response.status_code == 200, response.text
    assert not response.json()["isDefaultShipping"] and response.json()["isDefaultBilling"]
    assert defaults(client, auth) == ([], [first["id"]])


def test_deleting_a_default_leaves_that_usage_without_one_and_the_other_unchanged(client, auth):
    first = add(client, auth)
    second = add(client, auth, isDefaultBilling=True)
    add(client, auth)

    assert client.delete(f"{ADDRESSES}/{second['id']}", headers=auth).status_code == 204
    assert defaults(client, auth) == ([first["id"]], [])

    assert client.delete(f"{ADDRESSES}/{first['id']}", headers=auth).status_code == 204
    assert defaults(client, auth) == ([], [])


# --- other customers --------------------------------------------------------


def test_another_customers_address_is_indistinguishable_from_a_missing_one(client):
    owner = bearer(register(client)["tokens"])
    intruder = bearer(register(client)["tokens"])
    victim = add(client, owner, FULL)
    own = add(client, intruder)
    other = f"{ADDRESSES}/{victim['id']}"
    probes = [other, f"{ADDRESSES}/{victim['id'].upper()}", f"{ADDRESSES}/nope", f"{ADDRESSES}/123",
              f"{ADDRESSES}/{secrets.token_hex(12)}", f"{ADDRESSES}/{victim['id']}0", f"{ADDRESSES}/%24ne"]  # fmt: skip

    answers = []
    for path in probes:
        answers += [
            client.get(path, headers=intruder),
            client.patch(path, json={"label": "mine now", "isDefaultShipping": True}, headers=intruder),
            client.delete(path, headers=intruder),
        ]

    for answer in answers:
        assert_problem(answer, 404, "NOT_FOUND")
    assert all(without_request_id(answer) == without_request_id(answers[0]) for answer in answers)
    assert client.get(other, headers=owner).json() == victim
    assert listed(client, owner) == [victim]
    assert listed(client, intruder) == [own]


def test_a_customers_list_never_shows_another_customers_addresses(client):
    first = bearer(register(client)["tokens"])
    second = bearer(register(client)["tokens"])
    mine = [add(client, first)["id"] for _ in range(3)]
    theirs = [add(client, second)["id"] for _ in range(2)]

    assert [a["id"] for a in listed(client, first)] == mine
    assert [a["id"] for a in listed(client, second)] == theirs
    assert defaults(client, second) == ([theirs[0]], [theirs[0]])


# --- limit ------------------------------------------------------------------


def test_the_fifty_first_address_is_refused_until_one_is_deleted(client, auth):
    ids = [add(client, auth, label=f"#{n}")["id"] for n in range(50)]

    problem = assert_problem(client.post(ADDRESSES, json=US, headers=auth), 409, "ADDRESS_LIMIT")
    assert "errors" not in problem
    assert len(listed(client, auth)) == 50

    assert client.delete(f"{ADDRESSES}/{ids[7]}", headers=auth).status_code == 204
    add(client, auth, label="replacement")
    assert_problem(client.post(ADDRESSES, json=US, headers=auth), 409, "ADDRESS_LIMIT")
    assert len(listed(client, auth)) == 50


def test_the_limit_counts_each_customer_separately(client, auth):
    for _ in range(50):
        add(client, auth)
    other = bearer(register(client)["tokens"])

    assert add(client, other)["isDefaultShipping"]
