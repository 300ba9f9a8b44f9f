"""A function implemented in a private C module is imported from its public module."""

from __future__ import annotations

from pytead._codec import Tagged, render_source
from pytead._codec.source import public_module


def test_private_c_module_is_imported_from_the_public_one() -> None:
    source = render_source(Tagged("ref", "_operator.add"))
    assert source.text == "add"
    assert ("operator", "add") in source.imports
    assert all(module != "_operator" for module, _name in source.imports)


def test_a_private_module_without_a_public_twin_is_kept() -> None:
    assert public_module("_thread", "allocate_lock") == "_thread"  # `thread` does not exist
    assert public_module("collections", "OrderedDict") == "collections"


def test_a_public_name_bound_to_another_object_is_not_taken() -> None:
    # `_json` is the C accelerator of `json`, which binds no `make_scanner` of its own.
    assert public_module("_json", "make_scanner") == "_json"


def test_only_standard_library_modules_are_imported() -> None:
    assert public_module("_notastdlibmodule", "x") == "_notastdlibmodule"
