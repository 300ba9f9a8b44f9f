"""Feed recorded examples into griffe objects (for `pytead.griffe_extension`).

Kept apart from the extension module, which griffe scans for extension classes, so that this
module's helpers never look like extensions. It also words the warnings the extension logs when
it is configured but has nothing to show: through griffe's logger they reach mkdocs, whose
``--strict`` build then fails instead of publishing API pages silently left without examples.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._docpages import import_line
from pytead._docstrings import MARKER, section_lines
from pytead._examples import candidate_examples, choose
from pytead._model import Fixture

#: How many target names a warning lists before it says "and N more".
_SHOWN_TARGETS = 3


@dataclass(frozen=True)
class FeedStore:
    """The fixtures the extension reads, by target name, and what went wrong reading them.

    Attributes:
        storage_dir: The folder the fixtures were read from, as configured.
        fixtures: The fixtures read, by dotted target name.
        problems: One warning line per thing that keeps examples out of the docs.
    """

    storage_dir: Path
    fixtures: dict[str, Fixture] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def load_feed(storage_dir: Path) -> FeedStore:
    """Read the fixtures under *storage_dir*; an unreadable or empty store becomes a problem."""
    from pytead._errors import FixtureError
    from pytead._store import load_store

    # Docs are built from the project's root: its classes must be importable to show the
    # instances and values examples are made of.
    if str(Path.cwd()) not in sys.path:
        sys.path.append(str(Path.cwd()))
    try:
        stored = load_store(storage_dir)
    except FixtureError as exc:
        problem = f"no examples in the docs: {exc.one_line()}"
        return FeedStore(storage_dir, problems=(problem,))
    problems = [f"a case gives no example: {line}" for item in stored for line in item.rejections()]
    if not stored:
        problems.append(_empty_store(storage_dir))
    fixtures = {item.fixture.target.name: item.fixture for item in stored}
    return FeedStore(storage_dir, fixtures, tuple(problems))


def _empty_store(storage_dir: Path) -> str:
    state = "does not exist" if not storage_dir.is_dir() else "holds no *.yaml fixture"
    return (
        f"no examples in the docs: {storage_dir} {state} (as seen from {Path.cwd()}); set "
        "storage_dir under pytead.griffe_extension in mkdocs.yml to the folder of your "
        f"fixtures, or record calls with `pytead run -s {storage_dir} TARGET -- script.py`"
    )


def document_package(pkg: Any, loader: Any, feed: FeedStore, limit: int) -> int:
    """Add examples to the objects of package *pkg* that have a fixture in *feed*.

    Returns:
        How many of the package's objects have a fixture (whether or not each got examples:
        one that already shows examples keeps its own).
    """
    found_count = 0
    for name, fixture in feed.fixtures.items():
        if name == pkg.path or name.startswith(pkg.path + "."):
            found = member(loader, name)
            if found is not None:
                found_count += 1
                add_examples(found, fixture, limit)
    return found_count


def unfed_package(package: str, feed: FeedStore) -> str:
    """The warning for a project package none of whose objects has a fixture in *feed*."""
    names = sorted(feed.fixtures)
    shown = ", ".join(names[:_SHOWN_TARGETS])
    if len(names) > _SHOWN_TARGETS:
        shown += f" and {len(names) - _SHOWN_TARGETS} more"
    return (
        f"no examples for package {package}: none of its objects has a fixture in "
        f"{feed.storage_dir} (the fixtures there are for {shown}); record calls of its "
        f"functions with `pytead run -s {feed.storage_dir} {package} -- script.py`, or set "
        "storage_dir under pytead.griffe_extension in mkdocs.yml to their folder"
    )


def is_project_package(package: str) -> bool:
    """Whether *package* is one of the project's own (not one griffe loaded to follow aliases).

    Only the project's packages are expected to have fixtures: a third-party package loaded to
    resolve a re-export must not fail a strict build.
    """
    from pytead._project import first_party_modules, project_root

    return package.split(".", 1)[0] in first_party_modules(project_root()) | first_party_modules(
        Path.cwd()
    )


def member(loader: Any, name: str) -> Any:
    """The griffe object a dotted name leads to, following re-exports; ``None`` if none."""
    try:
        found = loader.modules_collection[name]
        return found.final_target if getattr(found, "is_alias", False) else found
    except Exception:  # not in this package, or an alias that cannot be resolved
        return None


def add_examples(obj: Any, fixture: Fixture, limit: int) -> bool:
    """Append an Examples section to *obj*'s docstring; return whether one was added."""
    import griffe

    docstring = obj.docstring
    text = docstring.value if docstring is not None else ""
    if MARKER in text or _has_examples(docstring):
        return False  # the sources already show examples: keep them
    examples = choose(candidate_examples(fixture, None), limit)
    if not examples:
        return False
    style = "google"
    if docstring is not None:
        inferred, _ = griffe.infer_docstring_style(docstring)
        style = "numpy" if str(getattr(inferred, "value", inferred)) == "numpy" else "google"
    first = (import_line(fixture.target.module, fixture.target.qualname), *examples[0].lines)
    blocks = [first, *(e.lines for e in examples[1:])]
    section = "\n".join(section_lines(blocks, style))  # type: ignore[arg-type]
    if docstring is None:
        obj.docstring = griffe.Docstring(section, parent=obj)
    else:
        docstring.value = (text.rstrip() + "\n\n" + section).lstrip("\n")
    return True


def _has_examples(docstring: Any) -> bool:
    if docstring is None:
        return False
    lines = [line.strip() for line in docstring.value.splitlines()] + [""]
    google = any(line in ("Examples:", "Example:") for line in lines)
    numpy = any(
        line in ("Examples", "Example") and lines[index + 1].startswith("---")
        for index, line in enumerate(lines[:-1])
    )
    return google or numpy
