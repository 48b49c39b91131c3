"""The core stays framework-free: it imports only the standard library,
attrs, idna (IDNA 2008 has no standard-library codec), and itself."""

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "customer_core"
ALLOWED = {"customer_core", "attrs", "idna", "__future__"} | set(sys.stdlib_module_names)


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
        f"{path.relative_to(CORE)}: {sorted(imported_roots(path) - ALLOWED)}"
        for path in CORE.rglob("*.py")
        if imported_roots(path) - ALLOWED
    }
    assert not offenders


def test_the_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("import pymongo\nfrom litestar import get\nfrom adapters.mongo import connect\n")
    assert imported_roots(module) - ALLOWED == {"pymongo", "litestar", "adapters"}
