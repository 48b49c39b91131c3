"""Importing the previous implementation's customers, and upgrading their
password hashes at their first login."""

import datetime as dt

import pytest

from adapters.legacy_export import read_export
from adapters.memory import ManualClock
from adapters.security.passwords import BcryptHasher
from customer_core import CustomerService
from customer_core.customer import CustomerChanges
from customer_core.errors import InvalidCredentials
from customer_core.use_cases.login import Credentials
from customer_core.values import Email
from tests.support import LEGACY_PASSWORD, legacy_export_line, legacy_hash, memory_ports, policies

OLD_PASSWORD = LEGACY_PASSWORD
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def legacy_line(n: int, email: str, kind: str = "2b", cost: int = 5) -> bytes:
    return legacy_export_line(n, email, legacy_hash(kind, cost))


def import_lines(flows, *lines: bytes, dry_run: bool = False):
    return flows.service.admin.import_customers(read_export(lines, now=NOW), dry_run=dry_run, operator="test")


def stored_hash(flows, email: str) -> str:
    return flows.service.admin.customers.get_by_email(Email(email)).password_hash


def test_an_import_adds_each_customer_once_and_reports_duplicates_and_rejections(flows):
    lines = [
        legacy_line(1, "ada@example.com"),
        b"{broken\n",
        legacy_line(2, "ADA@example.com"),  # the same email, in another case
        legacy_line(1, "grace@example.com"),  # the same id
        legacy_line(3, "grace@example.com"),
    ]

    report = import_lines(flows, *lines)

    assert report.imported == 2
    assert report.duplicate_lines == [3, 4]
    assert [(rejected.line, rejected.reason[:25]) for rejected in report.rejected] == [(2, "not MongoDB extended JSON")]
    assert {c.id for c in flows.service.admin.customers.list()} == {
        "5f1d7a3e2b4c1a0012345601",
        "5f1d7a3e2b4c1a0012345603",
    }


def test_a_second_run_imports_nothing_more(flows):
    lines = [legacy_line(1, "ada@example.com"), legacy_line(2, "grace@example.com")]
    import_lines(flows, *lines)
    before = flows.service.admin.customers.list()

    again = import_lines(flows, *lines)

    assert (again.imported, again.duplicate_lines, again.rejected) == (0, [1, 2], [])
    assert flows.service.admin.customers.list() == before


def test_an_email_already_registered_here_is_a_duplicate_and_keeps_its_account(flows):
    registered = flows.register("ada@example.com").customer

    report = import_lines(flows, legacy_line(1, "ada@example.com"))

    assert report.duplicate_lines == [1]
    assert flows.service.admin.customers.list() == [registered]


def test_a_dry_run_counts_as_a_real_run_would_and_writes_nothing(flows):
    lines = [legacy_line(1, "ada@example.com"), legacy_line(2, "ada@example.com"), b"[]\n"]

    report = import_lines(flows, *lines, dry_run=True)

    assert (report.imported, report.duplicate_lines, len(report.rejected)) == (1, [2], 1)
    assert flows.service.admin.customers.list() == []


@pytest.mark.parametrize("kind", ["2a", "2b", "2y"])
@pytest.mark.parametrize("cost", [4, 5, 6])
def test_an_imported_customer_logs_in_with_the_old_password_and_is_upgraded(flows, kind, cost):
    import_lines(flows, legacy_line(1, "ada@example.com", kind=kind, cost=cost))
    assert stored_hash(flows, "ada@example.com").startswith(f"${kind}${cost:02d}$")

    flows.login("ada@example.com", OLD_PASSWORD)

    upgraded = stored_hash(flows, "ada@example.com")
    assert upgraded.startswith("bcrypt-hmac-sha256$$2b$04$")
    flows.login("ada@example.com", OLD_PASSWORD)
    assert stored_hash(flows, "ada@example.com") == upgraded
    with pytest.raises(InvalidCredentials):
        flows.login("ada@example.com", OLD_PASSWORD + "!")


def test_a_wrong_password_upgrades_nothing(flows):
    import_lines(flows, legacy_line(1, "ada@example.com"))
    legacy = stored_hash(flows, "ada@example.com")

    with pytest.raises(InvalidCredentials):
        flows.login("ada@example.com", "Not-The-Password-9")

    assert stored_hash(flows, "ada@example.com") == legacy


def test_a_hash_of_another_cost_is_upgraded_to_the_configured_cost(flows):
    customer = flows.register("ada@example.com").customer
    old_cost = BcryptHasher(rounds=5).hash("correct horse battery staple")
    flows.service.admin.customers.update(customer.id, CustomerChanges(password_hash=old_cost))

    flows.login("ada@example.com")

    assert stored_hash(flows, "ada@example.com").startswith("bcrypt-hmac-sha256$$2b$04$")


class ChangesPasswordMeanwhile(BcryptHasher):
    """Runs ``meanwhile`` right after a password check: a reset or change
    landing between a login's check and the session it starts."""

    meanwhile = staticmethod(lambda: None)

    def verify(self, password: str, password_hash: str) -> bool:
        matches = super().verify(password, password_hash)
        self.meanwhile()
        return matches


@pytest.mark.parametrize("stored", ["legacy", "ours"])
def test_a_login_whose_password_was_changed_meanwhile_neither_succeeds_nor_undoes_it(tmp_path, stored):
    hasher = ChangesPasswordMeanwhile(rounds=4)
    service = CustomerService.assemble(memory_ports(ManualClock(NOW), tmp_path, hasher=hasher), policies())
    service.admin.import_customers(read_export([legacy_line(1, "ada@example.com")], now=NOW), operator="test")
    customer = service.admin.customers.get_by_email(Email("ada@example.com"))
    if stored == "ours":
        ours = BcryptHasher(rounds=4).hash(OLD_PASSWORD)
        service.admin.customers.update(customer.id, CustomerChanges(password_hash=ours))
    changed = BcryptHasher(rounds=4).hash("New-Password-22")
    hasher.meanwhile = lambda: service.admin.customers.update(customer.id, CustomerChanges(password_hash=changed))

    with pytest.raises(InvalidCredentials):
        service.login(Credentials(email="ada@example.com", password=OLD_PASSWORD))

    assert service.admin.customers.get(customer.id).password_hash == changed
    assert service.admin.sessions.list_active(customer.id, now=NOW) == []


def test_a_legacy_password_longer_than_bcrypt_reads_keeps_its_hash(flows):
    long_password = "L" * 71 + "é and the rest"  # 73 bytes and more: bcrypt read the first 72
    import_lines(flows, legacy_export_line(1, "ada@example.com", legacy_hash("2b", 4, long_password)))
    legacy = stored_hash(flows, "ada@example.com")

    flows.login("ada@example.com", long_password)

    assert stored_hash(flows, "ada@example.com") == legacy
