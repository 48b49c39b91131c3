"""The release as a user gets it: the sdist holds what a build needs (the wheel
is built from it), the wheel holds every package under src/, the py.typed
markers and the console script, and installed into a fresh virtualenv with
the embedded store it serves."""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest

from tests.release import ROOT, Distributions, Virtualenv
from tests.serving import serving
from tests.support import API, PASSWORD, bearer, unique_email

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

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
