"""Without transactions (in memory, or a standalone MongoDB), an add that
loses a race for a default gives its address slot back before retrying."""

from adapters.memory import InMemoryAddressRepository, in_memory_ports
from adapters.security.passwords import common_passwords
from customer_core import CustomerService, PasswordPolicy, Policies
from customer_core.addresses import Address
from customer_core.errors import ConcurrentUpdate

ADDRESS = {"first_name": "Ada", "last_name": "Lovelace", "street": "1 Main St", "city": "Berlin",
           "postal_code": "10115", "country": "DE", "is_default_shipping": True}  # fmt: skip
CUSTOMER = "a" * 24


class LosesTheFirstRace(InMemoryAddressRepository):
    """Refuses the first add as if another request had just set a default."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def add(self, address: Address) -> None:
        if not self.lost:
            self.lost = True
            raise ConcurrentUpdate()
        super().add(address)


def slots_used(addresses: InMemoryAddressRepository) -> int:
    count = addresses.reserve_slot(CUSTOMER, limit=10_000)
    addresses.release_slot(CUSTOMER)
    return count - 1


def test_an_add_that_lost_a_race_is_retried_with_one_slot():
    addresses = LosesTheFirstRace()
    ports = in_memory_ports(bcrypt_rounds=4, addresses=addresses)
    service = CustomerService(ports, Policies(password=PasswordPolicy(common=common_passwords())))

    added = service.addresses.add(CUSTOMER, ADDRESS)

    assert addresses.lost
    assert [a.id for a in addresses.list(CUSTOMER)] == [added.id]
    assert slots_used(addresses) == 1
