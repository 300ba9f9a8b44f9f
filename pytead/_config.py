"""Settings, layered the conventional way: CLI > ``PYTEAD_*`` environment > pyproject > defaults.

``[tool.pytead]`` is read from the nearest ``pyproject.toml`` at or above the working directory;
relative paths found there are relative to that file, like pytest and ruff do.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._codec.yamlio import DEFAULT_MAX_NODES
from pytead._errors import UsageError

#: Argument and attribute names whose values are never written to a fixture.
DEFAULT_REDACT = (
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authorization",
    "cookie",
    "private_key",
    "credentials",
    "pwd",
    "sessionid",
    "session",
    "auth",
    "jwt",
    "bearer",
    "client_secret",
)


@dataclass(frozen=True)
class Config:
    """Every setting pytead reads, with its default.

    Attributes:
        storage_dir: Where fixtures live (``call_logs`` beside the project).
        limit: Distinct cases kept per target.
        explore_cases: Once a target has *limit* cases, how many more may be kept for calls
            that run a line of its code that no recorded case ran (0: none, the target is
            closed at its limit). See `pytead._linecover`.
        explore_calls: The most calls of a target observed after its limit while looking for
            such calls; each pays one encoding of its inputs.
        explore_patience: How many distinct inputs in a row may run nothing new before pytead
            stops observing the target.
        output: The single generated test module.
        max_examples: Examples per function written into docstrings.
        redact: Name fragments whose values are replaced by ``!redacted``.
        redact_patterns: Also look in every recorded string for credentials by their shape
            (URL passwords, secret-named parameters, bearer tokens, JWTs, API keys).
        max_value_nodes: Size above which a value is kept as ``!opaque`` to stay readable.
        max_value_bytes: Text and bytes, in all, above which a value is kept as ``!opaque``
            (with its size), so one huge argument never makes a huge fixture or test.
        snapshot_threshold: Rendered length above which a return value goes to a syrupy snapshot.
        parametrize: Have ``gen-tests`` gather the cases of a target that share a shape into
            one parametrized test, as ``--parametrize`` does.
        nested_calls: Also record the calls a target makes to itself (recursion); by default
            only the outermost call is a case.
        stats: Also keep, per case, how many identical calls were seen and how long the first
            took. Off by default: counts and timings change at every capture, and fixtures are
            meant to stay byte-identical when the same calls are captured again.
        quiet: Silence pytead's own messages.
        verify_timeout: Seconds a generated test may run while ``gen-tests`` verifies it; a
            test that takes longer is left out.
        trusted_types: Classes, or modules and packages, besides the project's own that a
            fixture may have pytead import and rebuild (see `pytead._trust`).
        max_fixture_nodes: How many values a fixture may hold once its YAML aliases are
            spelled out; a file above it is refused before it is built.
    """

    storage_dir: Path = Path("call_logs")
    limit: int = 10
    explore_cases: int = 20
    explore_calls: int = 1000
    explore_patience: int = 100
    output: Path = Path("tests/test_pytead_generated.py")
    max_examples: int = 3
    redact: tuple[str, ...] = DEFAULT_REDACT
    redact_patterns: bool = True
    max_value_nodes: int = 10_000
    max_value_bytes: int = 1 << 20
    snapshot_threshold: int = 200
    parametrize: bool = False
    nested_calls: bool = False
    stats: bool = False
    quiet: bool = False
    verify_timeout: int = 60
    trusted_types: tuple[str, ...] = ()
    max_fixture_nodes: int = DEFAULT_MAX_NODES
    source: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if f.name != "source"}
_PATH_FIELDS = {"storage_dir", "output"}


def find_pyproject(start: Path) -> Path | None:
    """Return the nearest ``pyproject.toml`` at or above *start*, if any."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the effective configuration.

    Args:
        cwd: Directory to start the pyproject search from (default: the working directory).
        environ: Environment to read ``PYTEAD_*`` variables from (default: ``os.environ``).
        overrides: Values given on the command line; ``None`` values are ignored.

    Raises:
        UsageError: A setting has an unknown name or a value of the wrong type.
    """
    cwd = cwd or Path.cwd()
    values: dict[str, Any] = {}
    source: dict[str, str] = {}
    pyproject = find_pyproject(cwd)
    if pyproject is not None:
        for key, raw in _read_tool_table(pyproject).items():
            name = _known_name(key, where=f"{pyproject} [tool.pytead]")
            values[name] = _coerce(name, raw, where=f"{pyproject} [tool.pytead] {key}")
            if name in _PATH_FIELDS:
                values[name] = pyproject.parent / values[name]
            source[name] = str(pyproject)
    for var, raw in (os.environ if environ is None else environ).items():
        if var.startswith("PYTEAD_") and var[7:].lower() in _FIELDS:
            name = var[7:].lower()
            values[name] = _coerce(name, raw, where=f"environment variable {var}")
            source[name] = var
    for name, raw in (overrides or {}).items():
        if raw is not None:
            values[name] = _coerce(name, raw, where=f"option --{name.replace('_', '-')}")
            source[name] = "command line"
    return Config(**values, source=source)


def _read_tool_table(pyproject: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"invalid TOML ({exc})", where=str(pyproject), hint="fix the syntax of pyproject.toml"
        ) from exc
    table = data.get("tool", {}).get("pytead", {})
    if not isinstance(table, dict):
        raise UsageError(
            "[tool.pytead] is not a table", where=str(pyproject), hint="use key = value lines"
        )
    return table


def _known_name(key: str, *, where: str) -> str:
    name = key.replace("-", "_")
    if name not in _FIELDS:
        close = difflib.get_close_matches(name, list(_FIELDS), n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else "known settings: " + ", ".join(sorted(_FIELDS))
        )
        raise UsageError(f"unknown setting {key!r}", where=where, hint=hint)
    return name


def _coerce(name: str, raw: Any, *, where: str) -> Any:
    kind = _FIELDS[name].type
    try:
        if kind == "Path":
            return Path(str(raw))
        if kind == "int":
            value = int(raw)
            if value < 0 or isinstance(raw, bool):
                raise ValueError(raw)
            return value
        if kind == "bool":
            return _to_bool(raw)
        if kind == "tuple[str, ...]":
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return tuple(str(item).strip() for item in items if str(item).strip())
    except (TypeError, ValueError):
        raise UsageError(
            f"invalid value {raw!r} for {name}", where=where, hint=f"expected {_describe(kind)}"
        ) from None
    return raw


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)


def _describe(kind: object) -> str:
    return {
        "Path": "a path",
        "int": "a non-negative integer",
        "bool": "true or false",
        "tuple[str, ...]": "a list of names (comma-separated in the environment)",
    }.get(str(kind), str(kind))
