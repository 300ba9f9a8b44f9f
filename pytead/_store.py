"""The fixture store: one YAML file per target, ``<storage_dir>/<module path>/<qualname>.yaml``.

Fixtures are meant to be committed and reviewed, so they are deterministic (cases sorted by id,
no timestamps) and written atomically (a temporary file renamed over the old one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pytead._codec import YamlSyntaxError, dump_yaml, load_yaml
from pytead._codec.yamlio import DEFAULT_MAX_NODES
from pytead._errors import FixtureError
from pytead._files import write_atomic
from pytead._journal import WORK_DIR
from pytead._model import (
    FORMAT_VERSION,
    Case,
    Fixture,
    case_from_node,
    fixture_to_node,
    target_from_node,
)
from pytead._rejected import rejected_case

FIXTURE_SUFFIX = ".yaml"


def fixture_path(storage_dir: Path, module: str, qualname: str) -> Path:
    """Where the fixture of ``module.qualname`` lives.

    Examples:
        >>> fixture_path(Path("call_logs"), "shop.cart", "Cart.add").as_posix()
        'call_logs/shop/cart/Cart.add.yaml'
    """
    return storage_dir.joinpath(*module.split("."), qualname + FIXTURE_SUFFIX)


def render_fixture(fixture: Fixture) -> str:
    """The text of a fixture file."""
    header = (
        f"# pytead fixture: real calls of {fixture.target.name}, recorded by `pytead run`.\n"
        "# Review it like code; `pytead gen-tests` and `pytead enrich-docs` read it.\n"
    )
    return header + dump_yaml(fixture_to_node(fixture))


def write_fixture(path: Path, fixture: Fixture) -> bool:
    """Write *fixture* to *path* atomically; return whether the file changed.

    Raises:
        FixtureError: *fixture* was read with cases that could not be: writing it would lose them.
    """
    if fixture.rejected:
        raise unwritable(path, fixture)
    text = render_fixture(fixture)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True


def unwritable(path: Path, fixture: Fixture) -> FixtureError:
    """Why *fixture*, read from *path* with rejected cases, is not rewritten."""
    first = fixture.rejected[0]
    return FixtureError(
        f"not rewritten: {len(fixture.rejected)} of its cases cannot be read (case"
        f" {first.number} first) and rewriting the file would lose them",
        path=path,
        line=first.line,
        hint="fix or delete those cases by hand, then run the command again",
    )


def write_text_atomic(path: Path, text: str) -> None:
    """Replace *path* with *text* (UTF-8, line endings as they are), atomically."""
    write_atomic(path, text.encode("utf-8"))


def load_fixture(path: Path, max_nodes: int = DEFAULT_MAX_NODES) -> Fixture:
    """Read and check one fixture file (*max_nodes*: see `pytead._codec.load_yaml`).

    Raises:
        FixtureError: The file is not valid YAML, uses a foreign tag, or its header has the
            wrong shape; the error names the file and line. A case that fails its checks does
            not fail the file: it is kept aside in `Fixture.rejected`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"cannot read fixture ({exc})", path=path) from None
    try:
        data = load_yaml(text, max_nodes)
    except YamlSyntaxError as exc:
        raise FixtureError(str(exc), path=path, line=exc.line) from None
    return _fixture_from_data(data, path, text)


def _fixture_from_data(data: Any, path: Path, text: str) -> Fixture:
    if not isinstance(data, dict):
        raise FixtureError(
            "a fixture must be a mapping with 'target' and 'cases'", path=path, line=1
        )
    version = data.get("pytead")
    if version != FORMAT_VERSION:
        raise FixtureError(
            f"unsupported fixture format {version!r} (this pytead reads version {FORMAT_VERSION})",
            path=path,
            line=_line_of_key(text, "pytead"),
            hint="upgrade pytead or capture the calls again",
        )
    unknown = set(data) - _HEADER_KEYS
    if unknown:
        first = sorted(unknown)[0]
        raise FixtureError(f"unknown key {first!r}", path=path, line=_line_of_key(text, first))
    try:
        target = target_from_node(data)
    except ValueError as exc:
        raise FixtureError(str(exc), path=path, line=_line_of_key(text, "target")) from None
    cases = data.get("cases") or []
    if not isinstance(cases, list):
        raise FixtureError("'cases' must be a list", path=path, line=_line_of_key(text, "cases"))
    parsed, failed = _read_cases(cases)
    lines = _case_lines(text) if failed else []
    rejected = tuple(
        rejected_case(index + 1, cases[index], _nth(lines, index), reason)
        for index, reason in failed
    )
    return Fixture(target, tuple(parsed), rejected)


def _read_cases(cases: list[Any]) -> tuple[list[Case], list[tuple[int, str]]]:
    """The cases that pass their checks, and ``(index, reason)`` for each one that does not.

    One bad case never stops the rest: it is set aside with its reason (see `pytead._rejected`).
    """
    parsed: list[Case] = []
    failed: list[tuple[int, str]] = []
    for index, raw in enumerate(cases):
        try:
            parsed.append(case_from_node(raw))
        except (ValueError, TypeError) as exc:
            failed.append((index, str(exc)))
    return parsed, failed


_HEADER_KEYS = {
    "pytead", "target", "module", "kind", "signature", "async", "generator", "sys_path", "cases",
}  # fmt: skip


def _line_of_key(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def _case_lines(text: str) -> list[int]:
    """The line where each case starts (only when some are rejected: it parses the text again)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "cases" and isinstance(value, yaml.SequenceNode):
            return [int(item.start_mark.line) + 1 for item in value.value]
    return []


def _nth(lines: list[int], index: int) -> int | None:
    return lines[index] if index < len(lines) else None


def iter_fixture_paths(storage_dir: Path) -> list[Path]:
    """Every fixture file in the store, sorted."""
    if not storage_dir.is_dir():
        return []
    return sorted(
        path
        for path in storage_dir.rglob("*" + FIXTURE_SUFFIX)
        if WORK_DIR not in path.relative_to(storage_dir).parts
    )


@dataclass(frozen=True)
class StoredFixture:
    """A fixture and the file it was read from."""

    path: Path
    fixture: Fixture

    def rejections(self) -> list[str]:
        """One error line (file:line, the fix) per case of the file that could not be read."""
        return [case.error(self.path).one_line() for case in self.fixture.rejected]


def load_store(
    storage_dir: Path, targets: list[str] | None = None, max_nodes: int = DEFAULT_MAX_NODES
) -> list[StoredFixture]:
    """Load the fixtures of *targets* (glob patterns allowed), or of every target.

    Raises:
        FixtureError: One of the selected fixtures cannot be read.
    """
    from fnmatch import fnmatchcase

    found = []
    for path in iter_fixture_paths(storage_dir):
        fixture = load_fixture(path, max_nodes)
        name = fixture.target.name
        if not targets or any(fnmatchcase(name, t) or name.startswith(t + ".") for t in targets):
            found.append(StoredFixture(path, fixture))
    return found
