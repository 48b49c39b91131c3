"""Profile images: the rule alone, then the profile change on a stand-in
catalog."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from adapters.memory import InMemoryMediaCatalog, ManualClock
from customer_core import CustomerService, ProfileChanges, Registration
from customer_core.errors import DependencyUnavailable, InvalidProfileImage
from customer_core.media import MAX_PROFILE_IMAGE_BYTES, MediaInfo, profile_image_problem
from customer_core.values import Email, Id, MediaId
from tests.support import PASSWORD, memory_ports, policies

ADA = Id("0123456789abcdef01234567")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def media(owner: str = ADA, content_type: str = "image/png", size: int = 1000) -> MediaInfo:
    return MediaInfo(id=str(uuid.UUID(int=1)), owner_id=owner, content_type=content_type, size=size)


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        (media(), None),
        (media(content_type="IMAGE/JPEG; charset=binary"), None),
        (media(size=MAX_PROFILE_IMAGE_BYTES), None),
        (media(size=MAX_PROFILE_IMAGE_BYTES + 1), "must be at most 5 MB"),
        (media(size=-1), "must be at most 5 MB"),
        (media(content_type="application/pdf"), "must be an image"),
        (media(content_type="text/html; x=image/png"), "must be an image"),
        (media(owner="fedcba9876543210fedcba98"), "must be a media id of one of your own uploads"),
        (None, "must be a media id of one of your own uploads"),
    ],
    ids=["png", "jpeg with parameters", "5 MB", "over 5 MB", "negative size", "pdf", "html", "another's", "missing"],
)
def test_a_profile_image_is_the_customers_own_image_of_at_most_5_mb(info, problem):
    assert profile_image_problem(info, ADA) == problem


@pytest.fixture
def catalog():
    return InMemoryMediaCatalog()


@pytest.fixture
def ada(tmp_path, catalog):
    service = CustomerService.assemble(memory_ports(ManualClock(NOW), tmp_path, media=catalog), policies())
    registration = Registration(email=Email("ada@example.com"), password=PASSWORD, first_name="Ada", last_name="L")
    principal = service.authenticate(service.register(registration).tokens.access_token)
    return service, principal


def upload(catalog, owner, **fields) -> MediaId:
    media_id = str(uuid.uuid4())
    catalog.items[media_id] = MediaInfo(
        id=media_id,
        owner_id=owner,
        content_type=fields.get("content_type", "image/webp"),
        size=fields.get("size", 5000),
    )
    return MediaId(media_id)


def test_the_customers_own_image_becomes_their_profile_image(ada, catalog):
    service, principal = ada
    image = upload(catalog, principal.customer_id)

    assert service.update_profile(principal, ProfileChanges(profile_image=image)).profile_image == image


@pytest.mark.parametrize(
    "upload_kind",
    ["another customer's", "a pdf", "too large", "unknown"],
)
def test_a_media_that_is_not_an_acceptable_image_is_refused_and_changes_nothing(ada, catalog, upload_kind):
    service, principal = ada
    image = {
        "another customer's": lambda: upload(catalog, "fedcba9876543210fedcba98"),
        "a pdf": lambda: upload(catalog, principal.customer_id, content_type="application/pdf"),
        "too large": lambda: upload(catalog, principal.customer_id, size=MAX_PROFILE_IMAGE_BYTES + 1),
        "unknown": lambda: MediaId(str(uuid.uuid4())),
    }[upload_kind]()

    with pytest.raises(InvalidProfileImage) as refused:
        service.update_profile(principal, ProfileChanges(profile_image=image, first_name="Changed"))

    assert [error.field for error in refused.value.errors] == ["profile_image"]
    assert service.get_profile(principal.customer_id).first_name == "Ada"


def test_when_the_catalog_cannot_answer_nothing_changes(ada, catalog):
    service, principal = ada
    image = upload(catalog, principal.customer_id)
    catalog.available = False

    with pytest.raises(DependencyUnavailable):
        service.update_profile(principal, ProfileChanges(profile_image=image, first_name="Changed"))

    assert service.get_profile(principal.customer_id).profile_image is None


def test_clearing_the_image_asks_no_one(ada, catalog):
    service, principal = ada
    catalog.available = False

    assert service.update_profile(principal, ProfileChanges(profile_image=None)).profile_image is None


def test_without_a_media_service_any_well_formed_id_is_taken(flows):
    principal = flows.service.authenticate(flows.register().tokens.access_token)
    image = MediaId(str(uuid.uuid4()))

    assert flows.service.update_profile(principal, ProfileChanges(profile_image=image)).profile_image == image
