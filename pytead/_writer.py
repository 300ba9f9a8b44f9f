"""Writes are plans: every file change is computed first, then written, diffed or checked.

``--diff`` and ``--check`` come for free, and a failure while computing leaves the disk as it
was: nothing is written until the whole plan is ready. A file is replaced atomically (readers
never see half of it) and keeps what the user chose for it: its mode, and the encoding it was
read in (a source file's declared encoding or BOM); text is written with its line endings as
they are.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pytead._files import write_atomic


@dataclass(frozen=True)
class FileChange:
    """The wanted content of one file (``None``: the file should not exist).

    Attributes:
        path: The file.
        text: What it should hold.
        encoding: The codec to write it in (``utf-8-sig`` keeps a BOM).
    """

    path: Path
    text: str | None
    encoding: str = "utf-8"

    def current(self) -> str | None:
        """What the file holds now (``None`` if it does not exist or is not in its encoding)."""
        if not self.path.is_file():
            return None
        try:
            return self.path.read_bytes().decode(self.encoding)  # exact text: CRLF too
        except UnicodeDecodeError:
            return None

    @property
    def stale(self) -> bool:
        """Whether the file differs from what is wanted."""
        return self.current() != self.text


@dataclass
class Plan:
    """A set of file changes."""

    changes: list[FileChange] = field(default_factory=list)

    def add(self, path: Path, text: str | None, encoding: str = "utf-8") -> None:
        """Plan *path* to hold *text* in *encoding* (``None``: to be removed)."""
        self.changes.append(FileChange(path, text, encoding))

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
                write_atomic(change.path, change.text.encode(change.encoding))
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
