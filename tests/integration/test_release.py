"""The release as a user gets it: the sdist holds what a build needs (the wheel
is built from it), the wheel holds every package under src/, the py.typed
markers and the console script, and installed into a fresh virtualenv with
the embedded store it serves."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import httpx
import pytest

from customer_core.testing.contracts import LockoutContract
from tests.release import ROOT, Distributions, Virtualenv, clean_environment
from tests.serving import serving
from tests.support import API, PASSWORD, bearer, unique_email

# One worker builds the virtualenv and runs them all (make test: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600), pytest.mark.xdist_group("release")]

TOP_LEVEL = {"customer_core", "adapters", "entrypoints"}
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def sources() -> set[str]:
    """Every module under src/, as a path inside the wheel."""
    return {path.relative_to(ROOT / "src").as_posix() for path in (ROOT / "src").rglob("*.py")}


def test_the_sdist_builds_the_wheel_and_the_wheel_holds_every_module_marker_and_the_script(
    distributions: Distributions,
) -> None:
    sdist, wheel = distributions.sdist_members(), distributions.wheel_members()
    assert distributions.sdist.name == f"customer_service-{VERSION}.tar.gz"
    assert distributions.wheel.name == f"customer_service-{VERSION}-py3-none-any.whl"
    assert {"PKG-INFO", "pyproject.toml", "README.md", "CHANGELOG.md"} <= sdist
    assert {f"src/{module}" for module in sources()} <= sdist
    assert {module for module in wheel if module.endswith(".py")} == sources()
    assert {f"src/{package}/py.typed" for package in TOP_LEVEL} <= sdist
    assert {f"{package}/py.typed" for package in TOP_LEVEL} <= wheel
    info = f"customer_service-{VERSION}.dist-info"
    assert set(distributions.wheel_text(f"{info}/top_level.txt").split()) == TOP_LEVEL  # as the README says
    assert "customer-service = entrypoints.cli.main:run" in distributions.wheel_text(f"{info}/entry_points.txt")


def test_the_wheel_installed_in_a_fresh_virtualenv_serves(installed_service: Virtualenv, tmp_path: Path) -> None:
    helped = installed_service.run("customer-service", "--help")
    assert helped.returncode == 0 and "serve" in helped.stdout, helped.stderr
    found = installed_service.run(
        "python",
        "-c",
        "import importlib.metadata, pathlib, customer_core;"
        "print(pathlib.Path(customer_core.__file__).parent);"
        "print(importlib.metadata.version('customer-service'))",
    )
    assert found.returncode == 0, found.stderr
    location, version = found.stdout.split()
    assert Path(location).is_relative_to(installed_service.path)  # not this checkout's src/
    assert (Path(location) / "py.typed").is_file()
    assert version == VERSION

    script = installed_service.script("customer-service")
    with (
        serving(tmp_path, script=script, CS_LOG_LEVEL="WARNING") as served,
        httpx.Client(base_url=served.url, timeout=10) as client,
    ):
        body = {"email": unique_email("wheel"), "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
        registered = client.post(f"{API}/auth/register", json=body)
        me = client.get(f"{API}/me", headers=bearer(registered.json()["tokens"]))
        swagger = client.get("/schema/swagger")
    assert registered.status_code == 201 and me.status_code == 200
    assert swagger.status_code == 200  # its assets come from a dependency, installed too
    assert served.server.returncode == 0, served.errors


# A new project of a shop's, written against the public API alone.
SHOP = """
from pathlib import Path

from litestar import Litestar, get
from litestar.di import NamedDependency

from customer_core import Principal
from entrypoints.embedding import Settings, bootstrap, customer_principal, mount, service_lifespan


@get("/shop/me", sync_to_thread=False)
def shop_me(principal: NamedDependency[Principal]) -> dict[str, str]:
    return {"customerId": principal.customer_id}


def create_shop(data_dir: Path) -> Litestar:
    wiring = bootstrap(Settings(data_dir=data_dir, bcrypt_rounds=4), storage="memory")
    return Litestar(
        route_handlers=[mount(wiring, "/api/v1/customers"), shop_me],
        dependencies={"principal": customer_principal(wiring)},
        lifespan=[service_lifespan(wiring)],
    )
"""
TEST_SHOP = """
from pathlib import Path

from litestar.testing import TestClient

from shop import create_shop

CUSTOMERS = "/api/v1/customers"


def test_a_customer_registers_and_logs_in_through_the_shop(tmp_path: Path) -> None:
    with TestClient(create_shop(tmp_path)) as client:
        body = {"email": "ada@example.com", "password": "analytical engine 1843", "firstName": "Ada", "lastName": "L"}
        registered = client.post(f"{CUSTOMERS}/auth/register", json=body)
        logged_in = client.post(f"{CUSTOMERS}/auth/login", json={"email": body["email"], "password": body["password"]})
        headers = {"Authorization": f"Bearer {logged_in.json()['tokens']['accessToken']}"}
        mine = client.get("/shop/me", headers=headers)
        anonymous = client.get(f"{CUSTOMERS}/me")

    assert registered.status_code == 201 and logged_in.status_code == 200
    assert mine.json() == {"customerId": registered.json()["customer"]["id"]}
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "UNAUTHENTICATED"
"""
TEST_MY_ADAPTER = '''
import datetime as dt

import pytest

from customer_core.testing.contracts import LockoutContract


class DictLockouts:
    """The shop's own LockoutRepository: password checks counted in a dict."""

    def __init__(self) -> None:
        self.checks: dict[str, int] = {}
        self.locks: dict[str, dt.datetime] = {}

    def begin_check(self, key: str, *, threshold: int, now: dt.datetime) -> int | None:
        if self.locked_until(key, now=now) or self.checks.get(key, 0) >= threshold:
            return None
        self.checks[key] = self.checks.get(key, 0) + 1
        return self.checks[key]

    def lock(self, key: str, *, until: dt.datetime) -> None:
        self.locks[key], self.checks[key] = until, 0

    def succeeded(self, key: str, *, now: dt.datetime) -> None:
        if not self.locked_until(key, now=now):
            self.checks[key] = 0

    def lift(self, key: str) -> None:
        self.checks.pop(key, None)
        self.locks.pop(key, None)

    def locked_until(self, key: str, *, now: dt.datetime) -> dt.datetime | None:
        until = self.locks.get(key)
        return until if until is not None and now < until else None


class TestDictLockouts(LockoutContract):
    @pytest.fixture
    def lockouts(self) -> DictLockouts:
        return DictLockouts()
'''


def test_a_new_project_mounts_the_api_in_its_app_and_proves_its_own_adapter(
    installed_service: Virtualenv, tmp_path: Path
) -> None:
    """The issue's "done when": from the installed wheel and the public API
    alone, a shop's project serves the customer API in its Litestar app and
    runs the kit's contract suite against an adapter of its own. (The same
    code is typed: ``make test`` runs ``mypy --strict examples``.)"""
    project = tmp_path / "shop-project"
    project.mkdir()
    for name, text in {"shop.py": SHOP, "test_shop.py": TEST_SHOP, "test_my_adapter.py": TEST_MY_ADAPTER}.items():
        (project / name).write_text(text.lstrip())

    tested = subprocess.run(
        [str(installed_service.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        env=clean_environment(),
        timeout=300,
    )

    assert tested.returncode == 0, tested.stdout + tested.stderr
    contract = sum(name.startswith("test_") for name in dir(LockoutContract))
    assert f"{contract + 1} passed" in tested.stdout
