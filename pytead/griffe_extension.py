"""A griffe extension that adds pytead's recorded examples to API docs when they are built.

The sources are not touched: when griffe loads a package (for mkdocstrings, say), each traced
function found in the fixture store gets an Examples section of real calls in its docstring, in
the docstring's own style. Functions that already have an Examples section keep theirs.

Configure it under mkdocstrings' Python handler in ``mkdocs.yml``::

    plugins:
      - mkdocstrings:
          handlers:
            python:
              options:
                extensions:
                  - pytead.griffe_extension:
                      storage_dir: call_logs   # where the fixtures are (the default)
                      max_examples: 3          # examples per function (the default)

This module holds exactly one extension class: griffe instantiates every one it finds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import griffe

__all__ = ["PyteadExamples"]

log = logging.getLogger("pytead")


class PyteadExamples(griffe.Extension):
    """Add real-call examples from pytead's fixtures to the docstrings griffe loads."""

    def __init__(self, storage_dir: str = "call_logs", max_examples: int = 3) -> None:
        """Read fixtures from *storage_dir*; show at most *max_examples* calls per function."""
        super().__init__()
        self.storage_dir = Path(storage_dir)
        self.max_examples = max_examples
        self._fixtures: dict[str, Any] | None = None

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Once a package is loaded, document the traced functions it holds or re-exports."""
        from pytead._docfeed import add_examples, member

        for name, fixture in self._load_fixtures().items():
            if name == pkg.path or name.startswith(pkg.path + "."):
                found = member(loader, name)
                if found is not None:
                    add_examples(found, fixture, self.max_examples)

    def on_package_loaded(
        self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any
    ) -> None:
        """The same hook under the name older griffe releases call."""
        self.on_package(pkg=pkg, loader=loader, **kwargs)

    def _load_fixtures(self) -> dict[str, Any]:
        if self._fixtures is None:
            import sys

            # Docs are built from the project's root: its classes must be importable to show
            # the instances and values examples are made of.
            if str(Path.cwd()) not in sys.path:
                sys.path.append(str(Path.cwd()))
            from pytead._errors import FixtureError
            from pytead._store import load_store

            try:
                stored = load_store(self.storage_dir)
            except FixtureError as exc:
                log.warning("pytead: no examples in the docs: %s", exc.one_line())
                stored = []
            for line in (line for item in stored for line in item.rejections()):
                log.warning("pytead: a case gives no example: %s", line)
            self._fixtures = {item.fixture.target.name: item.fixture for item in stored}
        return self._fixtures
