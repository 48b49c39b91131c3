"""The core stays framework-free: it imports only the standard library,
attrs, idna (IDNA 2008 has no standard-library codec), and itself. Its test
kit, ``customer_core.testing``, adds pytest and hypothesis, and nothing
else of the core imports it."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "customer_core"
KIT = CORE / "testing"
ALLOWED = {"customer_core", "attrs", "idna", "__future__"} | set(sys.stdlib_module_names)
ALLOWED_IN_KIT = ALLOWED | {"pytest", "hypothesis"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_no_framework_or_adapter():
    offenders = {
        f"{path.relative_to(CORE)}: {sorted(imported_roots(path) - allowed)}"
        for path in CORE.rglob("*.py")
        for allowed in [ALLOWED_IN_KIT if path.is_relative_to(KIT) else ALLOWED]
        if imported_roots(path) - allowed
    }
    assert not offenders


def test_the_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("import pymongo\nfrom litestar import get\nfrom adapters.mongo import connect\n")
    assert imported_roots(module) - ALLOWED == {"pymongo", "litestar", "adapters"}


def test_importing_every_module_of_the_core_but_its_kit_imports_neither_pytest_nor_hypothesis():
    modules = [
        ".".join(path.relative_to(CORE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in CORE.rglob("*.py")
        if not path.is_relative_to(KIT)
    ]
    script = f"""
import importlib, sys
for name in {modules!r}:
    importlib.import_module(name)
print(sorted({{"pytest", "hypothesis", "customer_core.testing"}} & set(sys.modules)))
"""
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"
