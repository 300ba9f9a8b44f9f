"""Writes are plans: every file change is computed first, then written, diffed or checked.

``--diff`` and ``--check`` come for free, and a failure while computing leaves the disk as it
was: nothing is written until the whole plan is ready.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pytead._store import write_text_atomic


@dataclass(frozen=True)
class FileChange:
    """The wanted content of one file (``None``: the file should not exist)."""

    path: Path
    text: str | None

    def current(self) -> str | None:
        """What the file holds now."""
        if not self.path.is_file():
            return None
        with self.path.open(encoding="utf-8", newline="") as stream:  # exact bytes: CRLF too
            return stream.read()

    @property
    def stale(self) -> bool:
        """Whether the file differs from what is wanted."""
        return self.current() != self.text


@dataclass
class Plan:
    """A set of file changes."""

    changes: list[FileChange] = field(default_factory=list)

    def add(self, path: Path, text: str | None) -> None:
        """Plan *path* to hold *text* (``None``: to be removed)."""
        self.changes.append(FileChange(path, text))

    def stale(self) -> list[FileChange]:
        """The changes that would modify the disk."""
        return [change for change in self.changes if change.stale]

    def write(self) -> list[Path]:
        """Apply the plan; return the paths that changed."""
        written = []
        for change in self.stale():
            if change.text is None:
                change.path.unlink(missing_ok=True)
            else:
                write_text_atomic(change.path, change.text)
            written.append(change.path)
        return written

    def diff(self, root: Path | None = None) -> str:
        """A unified diff of what `write` would change."""
        chunks: list[str] = []
        for change in self.stale():
            shown = _shown(change.path, root)
            before = (change.current() or "").splitlines(keepends=True)
            after = (change.text or "").splitlines(keepends=True)
            chunks += difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}")
        return "".join(chunks)


def _shown(path: Path, root: Path | None) -> str:
    try:
        return path.relative_to(root or Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
