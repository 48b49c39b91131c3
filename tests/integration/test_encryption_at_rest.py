"""Personal fields and outbox messages are sealed at rest; a data-key
rotation re-seals them in batches and resumes after an interruption."""

import datetime as dt

import pytest
from bson import ObjectId, json_util

from adapters.mongo import MongoAddressRepository, MongoCustomerRepository
from adapters.mongo.data_key_rotation import DataKeyRotation
from adapters.security.data_keys import SealedValueInvalid, is_sealed, key_id
from customer_core.customer import CustomerChanges
from customer_core.values import Email, Phone
from tests.support import API, bearer, register, unique_email

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
SEALED = {"customers": ("phone", "dateOfBirth"), "addresses": ("street", "street2", "phone"), "outbox": ("to", "data")}


def customer_with_an_address(client, n: int) -> dict[str, str]:
    """Register one over HTTP; the personal values it stored."""
    email = unique_email(f"sealed{n}")
    values = {"email": email, "phone": f"+4412345678{n:02d}", "birth": "1990-12-1" + str(n % 10)}
    tokens = register(client, email=email, phone=values["phone"], dateOfBirth=values["birth"])["tokens"]
    address = {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "street": f"{n} Cipher Street",
        "street2": f"Flat {n}",
        "phone": f"+4498765432{n:02d}",
        "city": "Springfield",
        "state": "IL",
        "country": "US",
        "postalCode": "62701",
    }
    assert client.post(f"{API}/addresses", json=address, headers=bearer(tokens)).status_code == 201
    return {**values, "street": address["street"], "street2": address["street2"], "address phone": address["phone"]}


def sealed_values(db) -> list[str]:
    return [
        document[field]
        for collection, fields in SEALED.items()
        for document in db[collection].find()
        for field in fields
        if document.get(field) not in (None, {}, "")
    ]


def test_personal_fields_and_messages_are_stored_sealed_and_read_back_plain(client, db):
    values = customer_with_an_address(client, 1)

    raw = json_util.dumps([list(db[name].find()) for name in SEALED])
    me = client.get(
        f"{API}/me",
        headers=bearer(
            client.post(
                f"{API}/auth/login", json={"email": values["email"], "password": "correct horse battery staple"}
            ).json()["tokens"]
        ),
    ).json()

    leaked = [what for what, value in values.items() if what != "email" and value in raw]
    assert leaked == []
    assert all(is_sealed(value) for value in sealed_values(db))
    assert (me["phone"], me["dateOfBirth"]) == (values["phone"], values["birth"])


def test_a_sealed_value_moved_to_another_document_does_not_open(db, data_keys, client):
    first, second = (customer_with_an_address(client, n) for n in (2, 3))
    ada = db.customers.find_one({"email": first["email"]})
    db.customers.update_one({"email": second["email"]}, {"$set": {"phone": ada["phone"]}})

    with pytest.raises(SealedValueInvalid):
        MongoCustomerRepository(db, data_keys).get_by_email(Email(second["email"]))


def test_values_written_before_sealing_still_read_and_a_rotation_seals_them(db, data_keys, client):
    values = customer_with_an_address(client, 4)
    db.customers.update_one({"email": values["email"]}, {"$set": {"phone": values["phone"]}})  # as stored before

    assert MongoCustomerRepository(db, data_keys).get_by_email(Email(values["email"])).phone.value == values["phone"]
    kid = DataKeyRotation(db, data_keys).run(NOW)

    assert {key_id(value) for value in sealed_values(db)} == {kid}


def test_an_interrupted_rotation_resumes_where_it_stopped_and_leaves_everything_readable(db, data_keys, client):
    stored = [customer_with_an_address(client, n) for n in range(5, 10)]
    old_kid = data_keys.current().kid
    batches: list[tuple[str, int]] = []

    def crash_after_two_batches(collection: str, resealed: int) -> None:
        batches.append((collection, resealed))
        if len(batches) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        DataKeyRotation(db, data_keys).run(NOW, batch_size=2, after_batch=crash_after_two_batches)
    kid = data_keys.current().kid
    halfway = [key_id(value) for value in sealed_values(db)]
    progress = db.data_key_rotations.find_one({"_id": kid})
    resumed = DataKeyRotation(db, data_keys).run(NOW, batch_size=2)

    assert kid != old_kid and resumed == kid
    assert halfway.count(kid) > 0 and halfway.count(old_kid) > 0
    assert progress["finishedAt"] is None and "customers" in progress["after"]
    assert {key_id(value) for value in sealed_values(db)} == {kid}
    assert db.data_key_rotations.find_one({"_id": kid})["finishedAt"] is not None
    customers, addresses = MongoCustomerRepository(db, data_keys), MongoAddressRepository(db, data_keys)
    for values in stored:
        customer = customers.get_by_email(Email(values["email"]))
        [address] = addresses.list(customer.id)
        assert (str(customer.phone), str(customer.date_of_birth)) == (values["phone"], values["birth"])
        assert (address.street, address.street2, str(address.phone)) == (
            values["street"],
            values["street2"],
            values["address phone"],
        )


def test_a_write_during_a_rotation_is_not_overwritten(db, data_keys, client):
    values = customer_with_an_address(client, 11)
    customers = MongoCustomerRepository(db, data_keys)
    customer = customers.get_by_email(Email(values["email"]))
    rotation = DataKeyRotation(db, data_keys)
    original_reseal = rotation._reseal  # the step that reads a document's values and writes them back

    def service_writes_first(sealer, kid, document):
        if sealer.collection == "customers":  # between the rotation's read and its write
            customers.update(customer.id, CustomerChanges(phone=Phone("+15555550123")))
        return original_reseal(sealer, kid, document)

    rotation._reseal = service_writes_first
    rotation.run(NOW)

    assert str(customers.get(customer.id).phone) == "+15555550123"


def test_the_cli_rotates_and_reports(cli, client):
    customer_with_an_address(client, 12)

    result = cli("keys", "rotate-data-key", "--batch-size", "1")

    assert result.exit_code == 0, result.output
    assert "every sealed value is now under data key" in result.stdout


def test_a_value_that_looks_sealed_is_sealed_like_any_other(client, db, data_keys):
    email = unique_email("lookalike")
    tokens = register(client, email=email)["tokens"]
    address = {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "street": "enc:v1:k1:abc",
        "city": "Springfield",
        "state": "IL",
        "country": "US",
        "postalCode": "62701",
    }
    created = client.post(f"{API}/addresses", json=address, headers=bearer(tokens))

    assert created.status_code == 201, created.text
    stored = db.addresses.find_one({"_id": ObjectId(created.json()["id"])})
    assert stored["street"] != address["street"] and is_sealed(stored["street"])
    [listed] = client.get(f"{API}/addresses", headers=bearer(tokens)).json()["items"]
    assert listed["street"] == address["street"]
    assert DataKeyRotation(db, data_keys).run(NOW) == data_keys.current().kid


def test_a_rotation_leaves_a_value_that_does_not_open_and_reports_it(client, db, data_keys):
    first, second = (customer_with_an_address(client, n) for n in (13, 14))
    altered = db.customers.find_one({"email": first["email"]})
    db.customers.update_one({"_id": altered["_id"]}, {"$set": {"phone": altered["phone"][:-4] + "AAAA"}})
    rotation = DataKeyRotation(db, data_keys)

    kid = rotation.run(NOW)

    assert [(value.collection, value.document_id, value.field) for value in rotation.unopenable] == [
        ("customers", altered["_id"], "phone")
    ]
    still = MongoCustomerRepository(db, data_keys).get_by_email(Email(second["email"]))
    assert str(still.phone) == second["phone"]
    assert key_id(db.customers.find_one({"email": second["email"]})["phone"]) == kid
