"""``customers import`` against the store, and the imported customers
logging in over HTTP with their old passwords."""

import datetime as dt
import json

from bson import ObjectId

from tests.support import API, LEGACY_PASSWORD, legacy_export_line, legacy_hash

# Made on Node.js by bcryptjs 2.4.3 (the previous implementation's library).
NODE_HASH = "$2a$04$kVshcREVq7v2Y0iicZk/z.tmYzdDp/ohUlFNJmaoxp9JasAlDUx0W"
OLD_PASSWORD = LEGACY_PASSWORD


def legacy(n: int, email: str, password_hash: str, **fields) -> str:
    return legacy_export_line(n, email, password_hash, **fields).decode().rstrip("\n")


def export_file(tmp_path, *lines: str):
    path = tmp_path / "customers.json"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def run_import(cli, path, *options):
    result = cli("customers", "import", path, "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_keeps_ids_dates_and_state_and_a_second_run_changes_nothing(cli, db, tmp_path):
    path = export_file(
        tmp_path,
        legacy(1, "Ada@Example.com", NODE_HASH, isActive=False),
        legacy(2, "grace@example.com", legacy_hash("2y", 5)),
        "{not json",
        legacy(3, "ADA@example.com", legacy_hash("2b", 6)),
    )

    first = run_import(cli, path)
    documents = list(db.customers.find().sort("_id", 1))
    again = run_import(cli, path)

    assert first == {
        "dryRun": False,
        "imported": 2,
        "duplicates": 1,
        "rejected": 1,
        "duplicateLines": [4],
        "rejections": [{"line": 3, "reason": first["rejections"][0]["reason"]}],
    }
    assert first["rejections"][0]["reason"].startswith("not MongoDB extended JSON")
    assert [d["_id"] for d in documents] == [ObjectId("5f1d7a3e2b4c1a0012345601"), ObjectId("5f1d7a3e2b4c1a0012345602")]
    assert [d["email"] for d in documents] == ["ada@example.com", "grace@example.com"]
    assert documents[0]["createdAt"].replace(tzinfo=dt.UTC) == dt.datetime(2020, 7, 26, 10, tzinfo=dt.UTC)
    assert documents[0]["passwordHash"] == NODE_HASH and documents[0]["isActive"] is False
    assert documents[1]["emailVerified"] is True
    assert (again["imported"], again["duplicates"], again["rejected"]) == (0, 3, 1)
    assert list(db.customers.find().sort("_id", 1)) == documents


def test_dry_run_reports_without_writing_and_text_output_names_each_rejected_line(cli, db, tmp_path):
    path = export_file(tmp_path, legacy(1, "ada@example.com", NODE_HASH), legacy(2, "bad", "plain"))

    result = cli("customers", "import", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "line 2: rejected: email: not a valid email address; "
        "password: must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 4 to 14)",
        "would import 1, skipped 0 duplicate(s), rejected 1",
    ]
    assert db.customers.count_documents({}) == 0


def test_import_reads_standard_input(cli, db):
    result = cli("customers", "import", "-", input=legacy(1, "ada@example.com", NODE_HASH) + "\n")

    assert result.exit_code == 0, result.output
    assert db.customers.count_documents({}) == 1


def test_a_missing_file_is_a_usage_error(cli, tmp_path):
    result = cli("customers", "import", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2


def test_imported_customers_log_in_with_their_old_passwords_and_get_the_current_scheme(cli, client, db, tmp_path):
    run_import(cli, export_file(tmp_path, legacy(1, "ada@example.com", NODE_HASH)))

    wrong = client.post(f"{API}/auth/login", json={"email": "ada@example.com", "password": "Legacy-Pass-2"})
    assert db.customers.find_one()["passwordHash"] == NODE_HASH
    right = client.post(f"{API}/auth/login", json={"email": "ada@example.com", "password": OLD_PASSWORD})
    upgraded = db.customers.find_one()["passwordHash"]
    again = client.post(f"{API}/auth/login", json={"email": "ada@example.com", "password": OLD_PASSWORD})

    assert wrong.status_code == 401
    assert right.status_code == 200, right.text
    assert right.json()["customer"]["id"] == "5f1d7a3e2b4c1a0012345601"
    assert upgraded.startswith("bcrypt-hmac-sha256$$2b$04$")
    assert again.status_code == 200
