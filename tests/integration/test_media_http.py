"""Profile images against a stand-in Media Service over real HTTP, and the
readiness of the services this one calls."""

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.media_standin import MediaStandIn
from tests.support import API, assert_problem, bearer, register

ME = f"{API}/me"


@pytest.fixture
def media() -> Iterator[MediaStandIn]:
    with MediaStandIn().running() as standin:
        yield standin


@pytest.fixture
def app_with_media(make_app, media):
    return make_app(settings_changes={"media_url": media.url, "media_timeout_seconds": 1.0})


def test_ones_own_image_becomes_the_profile_image(app_with_media, media):
    registered = register(app_with_media.client)
    image = media.add(str(uuid.uuid4()), registered["customer"]["id"])

    answer = app_with_media.client.patch(ME, json={"profileImage": image}, headers=bearer(registered["tokens"]))

    assert answer.status_code == 200
    assert answer.json()["profileImage"] == image


@pytest.mark.parametrize(
    ("owner", "content_type", "size"),
    [("someone else", "image/png", 100), ("me", "application/pdf", 100), ("me", "image/png", 6_000_000), (None, "", 0)],
    ids=["another's", "pdf", "over 5 MB", "unknown"],
)
def test_an_unacceptable_media_is_422_invalid_profile_image(app_with_media, media, owner, content_type, size):
    registered = register(app_with_media.client)
    image = str(uuid.uuid4())
    if owner is not None:
        media.add(
            image, registered["customer"]["id"] if owner == "me" else "fedcba9876543210fedcba98", content_type, size
        )

    answer = app_with_media.client.patch(ME, json={"profileImage": image}, headers=bearer(registered["tokens"]))

    problem = assert_problem(answer, 422, "INVALID_PROFILE_IMAGE")
    assert [error["field"] for error in problem["errors"]] == ["profileImage"]


@pytest.mark.parametrize("mode", ["fail", "hang", "garbage"])
def test_a_media_service_that_fails_gives_503_and_changes_nothing(app_with_media, media, mode):
    registered = register(app_with_media.client)
    image = media.add(str(uuid.uuid4()), registered["customer"]["id"])
    media.mode, media.hang_seconds = mode, 2.0

    answer = app_with_media.client.patch(
        ME, json={"profileImage": image, "firstName": "Changed"}, headers=bearer(registered["tokens"])
    )

    assert_problem(answer, 503, "DEPENDENCY_UNAVAILABLE")
    me = app_with_media.client.get(ME, headers=bearer(registered["tokens"])).json()
    assert (me["profileImage"], me["firstName"]) == (None, "Ada")


def test_readiness_lists_the_services_called_and_is_degraded_not_down_without_them(make_app, media, notifications):
    app = make_app(settings_changes={"media_url": media.url, "notifications_url": notifications.url})

    up = app.client.get("/health/ready")
    media.mode = "fail"
    degraded = app.client.get("/health/ready")

    assert up.status_code == 200 and up.json()["status"] == "ok"
    assert {name: d["status"] for name, d in up.json()["dependencies"].items()} == {
        "database": "up",
        "notifications": "up",
        "media": "up",
    }
    assert degraded.status_code == 200 and degraded.json()["status"] == "degraded"
    assert degraded.json()["dependencies"]["media"]["status"] == "degraded"


def test_without_the_services_readiness_names_only_the_database(client):
    assert set(client.get("/health/ready").json()["dependencies"]) == {"database"}


def test_readiness_answers_within_its_budget_when_the_services_hang(make_app, media, notifications):
    app = make_app(settings_changes={"media_url": media.url, "notifications_url": notifications.url})
    media.mode = notifications.mode = "hang"

    started = time.monotonic()
    answer = app.client.get("/health/ready")
    took = time.monotonic() - started

    assert answer.status_code == 200 and answer.json()["status"] == "degraded"
    assert {name: d["status"] for name, d in answer.json()["dependencies"].items()} == {
        "database": "up",
        "notifications": "degraded",
        "media": "degraded",
    }
    assert took < 1.9  # both timed out at 1 s, side by side, not one after the other
