"""What an embedder imports is listed in ``__all__`` of a few modules, and
nothing a use case takes, gives back or raises is missing from them."""

from __future__ import annotations

import enum
import importlib
import inspect
import subprocess
import sys
import typing

import attrs
import pytest

import customer_core
from customer_core import errors
from customer_core.service import CustomerService

PUBLIC_MODULES = ["customer_core", "customer_core.ports", "entrypoints.embedding"]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_is_there(module_name):
    module = importlib.import_module(module_name)

    missing = [name for name in module.__all__ if not hasattr(module, name)]

    assert module.__all__ and not missing


def test_every_domain_error_is_public():
    raised = {
        cls
        for cls in vars(errors).values()
        if inspect.isclass(cls) and issubclass(cls, Exception) and cls.__module__ == errors.__name__
    }

    assert raised <= {getattr(customer_core, name) for name in customer_core.__all__}


def _attrs_classes_in(annotation: object) -> set[type]:
    found = {annotation} if inspect.isclass(annotation) and attrs.has(annotation) else set()
    for argument in typing.get_args(annotation):
        found |= _attrs_classes_in(argument)
    return found


def test_what_every_use_case_takes_and_gives_is_public():
    public = {getattr(customer_core, name) for name in customer_core.__all__}
    used: set[type] = set()
    for field in attrs.fields(attrs.resolve_types(CustomerService)):
        use_case = field.type
        calls = [
            member
            for name, member in vars(use_case).items()
            if inspect.isfunction(member) and (name == "__call__" or not name.startswith("_"))
        ]
        for call in calls:
            for annotation in typing.get_type_hints(call).values():
                used |= _attrs_classes_in(annotation)

    assert used - public == set()


def test_importing_the_core_loads_no_framework_or_database_library():
    code = (
        "import sys, customer_core, customer_core.ports\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'litestar', 'pymongo', 'bcrypt', 'jwt', 'httpx', 'typer', 'pytest', 'hypothesis'}))"
    )

    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_what_every_port_takes_and_gives_is_public():
    from customer_core import ports

    public = {getattr(module, name) for module in (customer_core, ports) for name in module.__all__}
    used: set[type] = set()
    for name in ports.__all__:
        port = getattr(ports, name)
        if getattr(port, "_is_protocol", False):
            for member in vars(port).values():
                if inspect.isfunction(member):
                    for annotation in typing.get_type_hints(member).values():
                        used |= _attrs_classes_in(annotation) | _enums_in(annotation)

    assert used - public == set()


def _enums_in(annotation: object) -> set[type]:
    found = {annotation} if inspect.isclass(annotation) and issubclass(annotation, enum.Enum) else set()
    for argument in typing.get_args(annotation):
        found |= _enums_in(argument)
    return found
