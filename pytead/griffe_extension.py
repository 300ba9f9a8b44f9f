"""A griffe extension that adds pytead's recorded examples to API docs when they are built.

The sources are not touched: when griffe loads a package (for mkdocstrings, say), each traced
function found in the fixture store gets an Examples section of real calls in its docstring, in
the docstring's own style. Functions that already have an Examples section keep theirs.

Configure it under mkdocstrings' Python handler in `mkdocs.yml`:

```yaml
plugins:
  - mkdocstrings:
      handlers:
        python:
          options:
            extensions:
              - pytead.griffe_extension:
                  storage_dir: call_logs   # where the fixtures are (the default)
                  max_examples: 3          # examples per function (the default)
```

When it has nothing to add (no fixture in the store, or none for a package of the project), it
logs a warning through griffe's logger, so that `mkdocs build --strict` fails.

This module holds exactly one extension class: griffe instantiates every one it finds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import griffe

if TYPE_CHECKING:
    from pytead._docfeed import FeedStore

__all__ = ["PyteadExamples"]

# griffe's own logger factory: mkdocstrings routes its loggers into mkdocs' logging, so these
# warnings show in the build output and fail `mkdocs build --strict`.
log = griffe.get_logger("pytead")


class PyteadExamples(griffe.Extension):
    """Add real-call examples from pytead's fixtures to the docstrings griffe loads.

    It logs one warning when the store cannot be read or is missing or empty, and one for each
    package of the project none of whose objects has a fixture there.
    """

    def __init__(self, storage_dir: str = "call_logs", max_examples: int = 3) -> None:
        """Read fixtures from *storage_dir*; show at most *max_examples* calls per function."""
        super().__init__()
        self.storage_dir = Path(storage_dir)
        self.max_examples = max_examples
        self._feed: FeedStore | None = None
        # Some griffe releases call both hook names: each package is handled once.
        self._done: set[str] = set()

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Once a package is loaded, document the traced functions it holds or re-exports."""
        from pytead._docfeed import document_package, is_project_package, unfed_package

        if pkg.path in self._done:
            return
        self._done.add(pkg.path)
        feed = self._load_feed()
        found = document_package(pkg, loader, feed, self.max_examples)
        if not found and feed.fixtures and is_project_package(pkg.path):
            log.warning(unfed_package(pkg.path, feed))

    def on_package_loaded(
        self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any
    ) -> None:
        """The same hook under the name older griffe releases call."""
        self.on_package(pkg=pkg, loader=loader, **kwargs)

    def _load_feed(self) -> FeedStore:
        if self._feed is None:
            from pytead._docfeed import load_feed

            self._feed = load_feed(self.storage_dir)
            for problem in self._feed.problems:
                log.warning(problem)
        return self._feed
