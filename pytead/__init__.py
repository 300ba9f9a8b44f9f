"""pytead (Trace To Test And Doc): record real calls, keep them as YAML, make tests and docs.

The public API, in the order of the data flow:

- capture: `trace` (alias `trace2test`) records calls of a function or method; the
  ``pytead run`` command does the same for a whole program without touching its code;
- values: `register_codec` teaches pytead a type of yours; `to_yaml` and `to_source` show how a
  value is written in fixtures and in generated code; `rebuild` and `fixture_value` are the
  helpers generated tests use for values that cannot be written as plain Python;
- errors: `PyteadError` and its subclasses say what failed, where, and how to fix it.

Everything else lives in private modules (``pytead._*``); the two entry modules
``pytead.pytest_plugin`` and ``pytead.griffe_extension`` are loaded by pytest and griffe.

When ``pytead run -- -m pytest`` traces a test suite, pytead is imported before pytest starts,
so pytest could not rewrite its asserts and would warn about it (an error under
``filterwarnings = error``); the marker ``PYTEST_DONT_REWRITE`` asks pytest to leave pytead alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CodecError",
    "FixtureError",
    "PyteadError",
    "TargetError",
    "UsageError",
    "__version__",
    "fixture_value",
    "rebuild",
    "register_codec",
    "to_source",
    "to_yaml",
    "trace",
    "trace2test",
]

if TYPE_CHECKING:
    from pytead._codec.registry import register_codec
    from pytead._decorator import trace
    from pytead._errors import CodecError, FixtureError, PyteadError, TargetError, UsageError
    from pytead._helpers import fixture_value, rebuild, to_source, to_yaml

    trace2test = trace

# Imported lazily: `import pytead` must stay cheap inside the programs it traces.
_LAZY = {
    "trace": "pytead._decorator",
    "trace2test": "pytead._decorator",
    "register_codec": "pytead._codec.registry",
    "rebuild": "pytead._helpers",
    "fixture_value": "pytead._helpers",
    "to_yaml": "pytead._helpers",
    "to_source": "pytead._helpers",
    "CodecError": "pytead._errors",
    "FixtureError": "pytead._errors",
    "PyteadError": "pytead._errors",
    "TargetError": "pytead._errors",
    "UsageError": "pytead._errors",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pytead' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), "trace" if name == "trace2test" else name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
