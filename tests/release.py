"""The distributions as a user gets them: the sdist and the wheel built from
this checkout, and a fresh virtualenv to install them into. The session
fixtures ``distributions`` and ``installed_service`` (tests/integration/conftest.py)
build on these; tests/integration/test_release.py is their first user."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]


@attrs.frozen
class Distributions:
    sdist: Path
    wheel: Path

    def sdist_members(self) -> set[str]:
        """The sdist's files, without its top directory (``customer_service-1.1.0/``)."""
        with tarfile.open(self.sdist) as archive:
            return {name.partition("/")[2] for name in archive.getnames() if "/" in name}

    def wheel_members(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())

    def wheel_text(self, member: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(member).decode()


def build_distributions(outdir: Path) -> Distributions:
    """``python -m build``: the sdist from this checkout, then the wheel from
    that sdist (so a wheel proves the sdist holds what a build needs), each in
    an isolated build environment."""
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(outdir), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (sdist,) = outdir.glob("*.tar.gz")
    (wheel,) = outdir.glob("*.whl")
    return Distributions(sdist=sdist, wheel=wheel)


def build_distributions_once(outdir: Path) -> Distributions:
    """``build_distributions`` into ``outdir`` by the first process to get
    there; the others wait for it and take what it built."""
    outdir.mkdir(parents=True, exist_ok=True)
    with (outdir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not list(outdir.glob("*.whl")):
            return build_distributions(outdir)
    (sdist,) = outdir.glob("*.tar.gz")
    (wheel,) = outdir.glob("*.whl")
    return Distributions(sdist=sdist, wheel=wheel)


def clean_environment(**changes: str) -> dict[str, str]:
    """This process's environment without the service's settings or anything
    that would put this checkout or its virtualenv on a new interpreter's path."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    kept = {name: value for name, value in os.environ.items() if not name.startswith("CS_") and name not in dropped}
    return {**kept, **changes}


@attrs.frozen
class Virtualenv:
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def script(self, name: str) -> Path:
        return self.path / "bin" / name

    def run(self, *command: str | Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
        """A command of this virtualenv (``"python"``, ``"pip"``, a console
        script) run in its directory, with ``env`` added to a clean environment."""
        program, *arguments = command
        return subprocess.run(
            [str(self.script(str(program))), *map(str, arguments)],
            capture_output=True,
            text=True,
            cwd=self.path,
            env=clean_environment(**env),
            timeout=timeout,
        )

    def pip_install(self, *requirements: str | Path) -> None:
        # --no-compile: byte-compiling every dependency took about 40% of the install.
        done = self.run("python", "-m", "pip", "install", "--quiet", "--no-compile", *requirements, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr


def make_virtualenv(path: Path) -> Virtualenv:
    """A new virtualenv (``python -m venv``) of the interpreter running the tests."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, capture_output=True, timeout=120)
    return Virtualenv(path)
