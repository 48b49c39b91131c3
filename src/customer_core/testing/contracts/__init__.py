"""The contract suites every adapter of a storage port passes: the memory
and MongoDB adapters of this service, and yours. Subclass a suite in a
test module (its name starting with ``Test``) and give it the ports it
names as pytest fixtures; ``clock`` and ``ids`` come with every suite.

=============================  ==================================================
suite                          fixtures you provide
=============================  ==================================================
CustomerAndSessionContract     ``customers``, ``sessions``
SignedInCustomersContract      ``customers``, ``sessions``, ``signed_in`` (one store)
OrdersContract                 ``customers``, ``orders``, ``service_clients``, ``uow``
AddressRepositoryContract      ``addresses``
MessagingContract              ``outbox`` (Notifier and MessageQueue), ``tokens``
CustomerEventsContract         ``outbox``, ``events``
LockoutContract                ``lockouts``
PhoneCodeContract              ``codes``, ``uow``
AuditLogContract               ``audit_log``
ConsentLogContract             ``consents``
=============================  ==================================================
"""

from customer_core.testing.contracts.addresses import AddressRepositoryContract
from customer_core.testing.contracts.customer_events import CustomerEventsContract
from customer_core.testing.contracts.lockouts import LockoutContract
from customer_core.testing.contracts.messaging import MessagingContract
from customer_core.testing.contracts.orders import OrdersContract
from customer_core.testing.contracts.phone_codes import PhoneCodeContract
from customer_core.testing.contracts.port_contract import CLOCK_START, ManualClock, PortContract, RandomIds
from customer_core.testing.contracts.records import AuditLogContract, ConsentLogContract
from customer_core.testing.contracts.repositories import CustomerAndSessionContract, SignedInCustomersContract

__all__ = [
    "CLOCK_START",
    "AddressRepositoryContract",
    "AuditLogContract",
    "ConsentLogContract",
    "CustomerAndSessionContract",
    "CustomerEventsContract",
    "LockoutContract",
    "ManualClock",
    "MessagingContract",
    "OrdersContract",
    "PhoneCodeContract",
    "PortContract",
    "RandomIds",
    "SignedInCustomersContract",
]
