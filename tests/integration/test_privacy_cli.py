"""The privacy commands of the CLI against the store: consent, export,
erase; each recorded with its operator."""

import json
import stat

import pytest

from tests.support import API, bearer, register, unique_email


def audit_types(cli, email_or_id):
    result = cli("audit", "list", "--customer", email_or_id, "--json")
    assert result.exit_code == 0, result.output
    return [(item["type"], item["operator"]) for item in json.loads(result.stdout)["items"]]


def test_an_operator_records_a_consent_given_elsewhere(client, cli):
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    result = cli("customers", "consent", email, "--newsletter", "--operator", "shop-42")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "newsletter: true, sms: false"
    newest = client.get(f"{API}/me/consents", headers=bearer(tokens)).json()["items"][0]
    assert (newest["purpose"], newest["granted"], newest["source"]) == ("newsletter", True, "admin")
    assert ("consent_changed", "shop-42") in audit_types(cli, email)
    assert cli("customers", "consent", email).exit_code == 2


def test_export_prints_the_document_or_writes_a_private_file(client, cli, tmp_path):
    email = unique_email()
    register(client, email=email)
    target = tmp_path / "export.json"

    printed = cli("customers", "export", email, "--operator", "alice")
    written = cli("customers", "export", email, "--output", str(target))

    assert printed.exit_code == 0 and written.exit_code == 0, printed.output + written.output
    assert json.loads(printed.stdout)["profile"]["email"] == email
    assert json.loads(target.read_text())["format"] == "customer-service/export"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert ("data_exported", "alice") in audit_types(cli, email)


def test_export_replaces_a_file_or_link_there_rather_than_writing_through_it(client, cli, tmp_path):
    email = unique_email()
    register(client, email=email)
    folder = tmp_path / "exports"
    folder.mkdir()
    elsewhere, existing, link = folder / "elsewhere.txt", folder / "existing.json", folder / "link.json"
    elsewhere.write_text("keep me")
    existing.write_text("old")
    existing.chmod(0o644)
    link.symlink_to(elsewhere)

    for target in (existing, link):
        assert cli("customers", "export", email, "--output", str(target)).exit_code == 0

    assert elsewhere.read_text() == "keep me"
    for target in (existing, link):
        assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o600
        assert json.loads(target.read_text())["profile"]["email"] == email
    assert sorted(path.name for path in folder.iterdir()) == ["elsewhere.txt", "existing.json", "link.json"]


@pytest.mark.parametrize(("target", "said"), [("missing/export.json", "cannot write there"), (".", "is a directory")])
def test_export_to_a_path_it_cannot_write_exits_2_before_exporting(client, cli, tmp_path, target, said):
    email = unique_email()
    register(client, email=email)

    result = cli("customers", "export", email, "--output", str(tmp_path / target))

    assert result.exit_code == 2 and said in result.output
    assert "Traceback" not in result.output
    assert "data_exported" not in [kind for kind, _ in audit_types(cli, email)]


def test_erase_needs_yes_then_erases_for_good(client, cli):
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    refused = cli("customers", "erase", email)
    erased = cli("customers", "erase", email, "--yes", "--operator", "bob")

    assert refused.exit_code == 2 and "--yes" in refused.output
    assert erased.exit_code == 0, erased.output
    pseudonym = erased.stdout.split()[-1]
    assert client.get(f"{API}/me", headers=bearer(tokens)).status_code == 401
    assert cli("customers", "show", email).exit_code == 3
    assert ("account_erased", "bob") in audit_types(cli, pseudonym)
    assert cli("customers", "erase", email, "--yes").exit_code == 3
