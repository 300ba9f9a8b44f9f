"""The fold's log: what a fold of journals into fixtures wrote, so none is ever counted twice.

A fold writes several files (a fixture per target, perhaps a leftover journal) and then removes
the journals. A process killed in between (``kill -9``, a power cut of the CI runner) leaves
fixtures that already hold a journal's records while the journal is still there: folding it
again would add its ``seen`` counts a second time. So, before each write, the fold notes in
``.pytead/fold.jsonl`` what it is about to write and from which journals:

- ``{"t": target, "path": fixture, "sha": hash of the new text, "journals": [...]}``;
- ``{"leftover": file, "targets": [...], "journals": [...]}`` for records kept aside.

The next fold reads the notes of an interrupted one (`FoldLog.recover`). A fixture whose text has
the noted hash was written (fixtures and leftovers are replaced atomically, so a file is either
the old one or the new one): the records of that target in those journals are already in it and
are skipped. A fixture without that hash was not written: its records are folded again, once. A
leftover that exists holds its records. The first line of a new log carries over what was
recovered, so a fold killed twice in a row still knows. The log goes once the journals are gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pytead._journal import WORK_DIR, journal_dir
from pytead._store import write_text_atomic

#: Journal name -> targets whose records in it are already in a fixture or a leftover.
Applied = dict[str, set[str]]


def text_hash(text: str) -> str:
    """The hash a fixture's text is noted with."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FoldLog:
    """The log of the fold under way in one store (the store lock is held meanwhile)."""

    def __init__(self, storage_dir: Path) -> None:
        self.storage_dir = storage_dir
        self.path = storage_dir / WORK_DIR / "fold.jsonl"

    def recover(self, journals: Iterable[str]) -> Applied:
        """What an interrupted fold already wrote, for the *journals* that are still there."""
        present = set(journals)
        applied: Applied = {}
        for entry in self._entries():
            for journal, targets in self._written(entry).items():
                if journal in present:
                    applied.setdefault(journal, set()).update(targets)
        return applied

    def start(self, applied: Applied) -> None:
        """Begin a fold's log, carrying over what an interrupted fold wrote."""
        carried = {journal: sorted(targets) for journal, targets in sorted(applied.items())}
        write_text_atomic(self.path, json.dumps({"applied": carried}) + "\n")

    def note_fixture(self, target: str, path: Path, text: str, journals: Iterable[str]) -> None:
        """Say that *text* is about to replace the fixture *path* of *target*."""
        where = os.path.relpath(path, self.storage_dir)
        self._append({"t": target, "path": where, "sha": text_hash(text), "journals": journals})

    def note_leftover(self, name: str, targets: Iterable[str], journals: Iterable[str]) -> None:
        """Say that the leftover journal *name* is about to hold these records."""
        self._append({"leftover": name, "targets": sorted(targets), "journals": journals})

    def finish(self) -> None:
        """The fold is complete: its journals are gone, so is its log."""
        self.path.unlink(missing_ok=True)

    def _append(self, entry: dict[str, Any]) -> None:
        entry["journals"] = sorted(entry["journals"])
        line = (json.dumps(entry) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)  # in the kernel once written: a killed process keeps it
        finally:
            os.close(fd)

    def _entries(self) -> list[dict[str, Any]]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []
        entries = []
        for line in lines:
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
        return entries

    def _written(self, entry: dict[str, Any]) -> dict[str, list[str]]:
        """The journal -> targets an entry proves written; nothing when the write did not land."""
        if isinstance(entry.get("applied"), dict):
            return {str(k): list(v) for k, v in entry["applied"].items()}
        journals = [str(j) for j in entry.get("journals", [])]
        if "sha" in entry and self._has_text(entry.get("path"), entry["sha"]):
            return {journal: [str(entry["t"])] for journal in journals}
        if "leftover" in entry and self._leftover_exists(entry["leftover"]):
            return {journal: [str(t) for t in entry.get("targets", [])] for journal in journals}
        return {}

    def _leftover_exists(self, name: object) -> bool:
        return isinstance(name, str) and (journal_dir(self.storage_dir) / Path(name).name).is_file()

    def _has_text(self, relative: object, sha: object) -> bool:
        if not isinstance(relative, str):
            return False
        try:
            text = (self.storage_dir / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        return text_hash(text) == sha
