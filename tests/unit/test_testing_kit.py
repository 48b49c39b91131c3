"""The test kit used as an embedder uses it, from outside: only
``customer_core.testing`` and public names are imported. Each suite is bound
to the in-memory adapters in a few lines (this is where they are held to the
contracts), and a CustomerRepository written here, over a plain dict, passes
the customer contract too."""

import subprocess
import sys
import textwrap

import attrs
import pytest

from adapters.memory import (
    InMemoryAddressRepository,
    InMemoryAuditLog,
    InMemoryConsentLog,
    InMemoryCustomerRepository,
    InMemoryEmailedTokens,
    InMemoryLockouts,
    InMemoryOrders,
    InMemoryOutbox,
    InMemoryPhoneCodes,
    InMemoryServiceClients,
    InMemorySessionRepository,
    InMemorySignedInCustomers,
    InMemoryUnitOfWork,
)
from adapters.notifications.webhooks import OutboxCustomerEvents
from customer_core import Customer, EmailTaken
from customer_core.customer import CustomerChanges
from customer_core.testing.contracts import (
    AddressRepositoryContract,
    AuditLogContract,
    ConsentLogContract,
    CustomerAndSessionContract,
    CustomerEventsContract,
    LockoutContract,
    MessagingContract,
    OrdersContract,
    PhoneCodeContract,
    SignedInCustomersContract,
)
from customer_core.values import Email, Id

# --- the in-memory adapters, suite by suite ------------------------------------


class TestInMemoryCustomersAndSessions(CustomerAndSessionContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()


class TestInMemorySignedInCustomers(SignedInCustomersContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()

    @pytest.fixture
    def signed_in(self, customers, sessions):
        return InMemorySignedInCustomers(customers, sessions)


class TestInMemoryOrders(OrdersContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def orders(self):
        return InMemoryOrders()

    @pytest.fixture
    def service_clients(self):
        return InMemoryServiceClients()

    @pytest.fixture
    def uow(self):
        return InMemoryUnitOfWork()


class TestInMemoryAddresses(AddressRepositoryContract):
    @pytest.fixture
    def addresses(self):
        return InMemoryAddressRepository()


class TestInMemoryMessaging(MessagingContract):
    @pytest.fixture
    def outbox(self, clock):
        return InMemoryOutbox(clock)

    @pytest.fixture
    def tokens(self):
        return InMemoryEmailedTokens()


class TestCustomerEventsInTheMemoryOutbox(CustomerEventsContract):
    @pytest.fixture
    def outbox(self, clock):
        return InMemoryOutbox(clock)

    @pytest.fixture
    def events(self, outbox):
        return OutboxCustomerEvents(outbox)


class TestInMemoryLockouts(LockoutContract):
    @pytest.fixture
    def lockouts(self):
        return InMemoryLockouts()


class TestInMemoryPhoneCodes(PhoneCodeContract):
    @pytest.fixture
    def codes(self):
        return InMemoryPhoneCodes()

    @pytest.fixture
    def uow(self):
        return InMemoryUnitOfWork()


class TestInMemoryAuditLog(AuditLogContract):
    @pytest.fixture
    def audit_log(self):
        return InMemoryAuditLog()


class TestInMemoryConsentLog(ConsentLogContract):
    @pytest.fixture
    def consents(self):
        return InMemoryConsentLog()


# --- an adapter of one's own -----------------------------------------------------


class DictCustomers:
    """A CustomerRepository over a dict keyed by email, as an embedder might
    write one for their own store (only what the customer contract uses)."""

    def __init__(self) -> None:
        self.by_email: dict[Email, Customer] = {}

    def add(self, customer: Customer) -> None:
        if customer.email in self.by_email or self.get(customer.id):
            raise EmailTaken()
        self.by_email[customer.email] = customer

    def get(self, customer_id: Id) -> Customer | None:
        return next((c for c in self.by_email.values() if c.id == customer_id), None)

    def get_by_email(self, email: Email) -> Customer | None:
        return self.by_email.get(email)

    def update(self, customer_id: Id, changes: CustomerChanges) -> Customer | None:
        customer = self.get(customer_id)
        if customer is None:
            return None
        updated = changes.apply_to(customer)
        if updated.email != customer.email and updated.email in self.by_email:
            raise EmailTaken()
        del self.by_email[customer.email]
        self.by_email[updated.email] = updated
        return updated

    def replace_password_hash(self, customer_id: Id, *, old: str, new: str) -> bool:
        customer = self.get(customer_id)
        if customer is None or customer.password_hash != old:
            return False
        self.by_email[customer.email] = attrs.evolve(customer, password_hash=new)
        return True

    def list(self, *, email_prefix: str = "", after_id: Id | None = None, limit: int = 50) -> list[Customer]:
        matching = sorted(
            (c for c in self.by_email.values() if c.email.value.startswith(email_prefix)), key=lambda c: c.id
        )
        return [c for c in matching if after_id is None or c.id > after_id][:limit]


class TestDictCustomers(CustomerAndSessionContract):
    @pytest.fixture
    def customers(self):
        return DictCustomers()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()


# --- what a failing contract shows ---------------------------------------------


def test_a_failing_contract_shows_the_values_it_compared(tmp_path):
    """The kit registers its contracts for pytest's assertion rewriting, so an
    adapter that loses a field is told which one."""
    (tmp_path / "test_forgetful.py").write_text(
        textwrap.dedent(
            """
            import attrs
            import pytest

            from adapters.memory import InMemoryCustomerRepository, InMemorySessionRepository
            from customer_core.testing.contracts import CustomerAndSessionContract


            class ForgetsLastNames(InMemoryCustomerRepository):
                def get(self, customer_id):
                    found = super().get(customer_id)
                    return found and attrs.evolve(found, last_name="?")


            class TestForgetsLastNames(CustomerAndSessionContract):
                @pytest.fixture
                def customers(self):
                    return ForgetsLastNames()

                @pytest.fixture
                def sessions(self):
                    return InMemorySessionRepository()
            """
        )
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-k", "only_required_fields", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )

    assert run.returncode == 1, run.stdout
    assert "last_name: '?' != 'Lovelace'" in run.stdout
