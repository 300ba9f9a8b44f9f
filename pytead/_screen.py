"""Fixtures -> what the trust policy lets through, and one refusal line for the rest.

Commands that import targets and rebuild values (``show``, ``gen-tests``, ``replay``,
``enrich-docs``) screen the fixtures first, by name only: a fixture whose target module is not
trusted is refused whole, a case naming an untrusted type, enum or function is refused alone.
Nothing refused is imported or decoded; each refusal names the file and line and how to trust
the name, the rest goes on, and the command exits 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pytead._codec import REGISTRY, Node, Tagged, qualified_name
from pytead._codec.nodes import ENUM, OBJ, REF
from pytead._config import Config
from pytead._errors import FixtureError
from pytead._model import Case, Fixture, case_to_node
from pytead._project import program_folders
from pytead._store import StoredFixture
from pytead._trust import TrustPolicy, UntrustedName, policy_for, untrusted


@dataclass(frozen=True)
class Refusal:
    """A fixture, or one of its cases, that names something untrusted.

    Attributes:
        target: The fixture's target.
        case_id: The refused case, or ``None`` when the whole fixture is refused.
        error: What was refused, with the file and line and how to trust it.
    """

    target: str
    case_id: str | None
    error: FixtureError

    def line(self) -> str:
        """The line a command prints."""
        return self.error.one_line()


@dataclass(frozen=True)
class Screened:
    """Fixtures after screening.

    Attributes:
        kept: The fixtures whose target is trusted, without their refused cases.
        refused: Every refusal, in the order of the store.
        whole: The stored fixtures that were refused in part or in full, by target name.
        policy: The policy they were screened with (decode what was kept under it).
    """

    kept: list[StoredFixture]
    refused: list[Refusal]
    whole: dict[str, StoredFixture]
    policy: TrustPolicy

    def refused_cases(self, target: str) -> list[Refusal]:
        """The refusals of *target*'s cases (its fixture's when it is refused whole)."""
        return [r for r in self.refused if r.target == target]


def project_policy(root: Path, config: Config, fixtures: Iterable[Fixture]) -> TrustPolicy:
    """The policy for *fixtures*: the project at *root*, the folders they list, the config."""
    return policy_for(root, config.trusted_types, program_folders(fixtures))


def screen(stored: Iterable[StoredFixture], policy: TrustPolicy) -> Screened:
    """Split *stored* into what *policy* trusts and refusals (see the module docstring)."""
    kept: list[StoredFixture] = []
    refused: list[Refusal] = []
    whole: dict[str, StoredFixture] = {}
    for item in stored:
        found = list(_refusals(item, policy))
        refused += found
        if found:
            whole[item.fixture.target.name] = item
        if any(r.case_id is None for r in found):
            continue
        dropped = {r.case_id for r in found}
        cases = tuple(c for c in item.fixture.cases if c.id not in dropped)
        fixture = item.fixture.replace_cases(cases) if dropped else item.fixture
        kept.append(StoredFixture(item.path, fixture))
    return Screened(kept, refused, whole, policy)


def _refusals(item: StoredFixture, policy: TrustPolicy) -> Iterator[Refusal]:
    target = item.fixture.target
    if not policy.trusts_code(target.module):
        error = untrusted("target module", target.module)
        line = _line_of_key(item.path, "module") or _line_of_key(item.path, "target")
        yield Refusal(target.name, None, _fixture_error(error, item.path, line))
        return
    codec_types = {qualified_name(kind) or "" for kind in REGISTRY.types()}
    for case in item.fixture.cases:
        if not case.replayable:
            continue  # left out as such by every command; any decoding of it is still checked
        refusal = _case_refusal(case, policy, codec_types)
        if refusal is not None:
            error, line = refusal
            yield Refusal(target.name, case.id, _fixture_error(error, item.path, line))


def _case_refusal(
    case: Case, policy: TrustPolicy, codec_types: set[str]
) -> tuple[UntrustedName, int | None] | None:
    """The first name in *case* that *policy* refuses, and its line."""
    for node in _tagged_nodes(case_to_node(case)):
        name, what = _named(node)
        if not name:
            continue
        if what == "!ref":
            trusted = policy.trusts_ref(name)
        else:
            trusted = policy.trusts_type(name, codec_types)
        if not trusted:
            return untrusted(what, name), node.line
    return None


def _named(node: Tagged) -> tuple[str, str]:
    """The dotted name a tagged node makes pytead import, and what it is; ``""`` if none."""
    value = node.value
    if node.tag == OBJ and isinstance(value, dict):
        return str(value.get("type", "")), "!obj type"
    if node.tag == ENUM and isinstance(value, str):
        return value.rpartition(".")[0], "!enum class"
    if node.tag == REF and isinstance(value, str):
        return value, "!ref"
    return "", ""


def _tagged_nodes(root: Node) -> Iterator[Tagged]:
    """Every tagged node under *root*, each shared node once (an alias bomb stays cheap)."""
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, (list, dict, Tagged)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Tagged):
            yield node
            stack.append(node.value)
        elif isinstance(node, list):
            stack.extend(node)
        else:
            stack.extend(node.values())


def _fixture_error(error: UntrustedName, path: Path, line: int | None) -> FixtureError:
    return FixtureError(error.what, path=path, line=line, hint=error.hint)


def _line_of_key(path: Path, key: str) -> int | None:
    """The line where a header *key* is set (read again: only refusals need it)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)
