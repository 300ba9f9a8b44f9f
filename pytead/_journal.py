"""The capture journal: one append-only JSON-lines file per process, written as calls happen.

Each record is a single ``os.write`` on a file opened with ``O_APPEND``: the kernel has it as soon
as the call returns, so a crash or ``SIGKILL`` loses at most the record being written, and there
is never an fsync or a file per call. While its process lives, a journal holds an exclusive
``flock``; compaction only reads journals whose lock it can take, that is, whose writer is gone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._codec import Node, from_json, to_json

fcntl: Any
try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, journals are still safe
    fcntl = None

#: Folder inside the storage dir for pytead's own working files (never committed).
WORK_DIR = ".pytead"
JOURNAL_SUFFIX = ".jsonl"

log = logging.getLogger("pytead")


def journal_dir(storage_dir: Path) -> Path:
    """Where the journals of *storage_dir* live."""
    return storage_dir / WORK_DIR / "journal"


class Journal:
    """The journal this process appends to, opened at the first record (and again after fork)."""

    def __init__(self, storage_dir: Path) -> None:
        self.storage_dir = storage_dir
        self.path: Path | None = None
        self._fd: int | None = None
        self._pid = 0
        self._lock = threading.Lock()
        #: Set when a write failed (a full disk, a read-only folder): recording stops there.
        self.failed = False

    def append(self, record: dict[str, Node], *, shared: bool = False) -> None:
        """Write one record; *shared* says the record may hold shared or cyclic nodes.

        A write that fails is reported once, on one line; the records after it are dropped, so
        a full disk never stops or slows the traced program.
        """
        line = (to_json(record, shared=shared) + "\n").encode("utf-8")
        with self._lock:
            if self.failed:
                return
            try:
                fd = self._fd if self._fd is not None and self._pid == os.getpid() else self._open()
                _write_all(fd, line)
            except OSError as exc:
                self.failed = True
                log.warning(
                    "pytead: could not write the journal in %s (%s); calls are no longer recorded"
                    " there, those already written are kept",
                    self.storage_dir, exc.strerror or exc,
                )  # fmt: skip

    def close(self) -> None:
        """Close the file, which also releases its lock (compaction may then read it)."""
        with self._lock:
            if self._fd is not None and self._pid == os.getpid():
                with contextlib.suppress(OSError):  # what was written is in the file already
                    os.close(self._fd)
            self._fd = None
            self._pid = 0

    def after_fork_in_child(self) -> None:
        """Forget the parent's file: the child writes a journal of its own."""
        self._lock = threading.Lock()
        self.failed = False
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # the parent still holds the file and its lock
        self._fd = None
        self._pid = 0

    def _open(self) -> int:
        folder = journal_dir(self.storage_dir)
        folder.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(folder.parent)
        self.path = folder / f"{os.getpid()}-{os.urandom(4).hex()}{JOURNAL_SUFFIX}"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fd, self._pid = fd, os.getpid()
        return fd


def _write_all(fd: int, data: bytes) -> None:
    """Write *data* whole: ``os.write`` may write less (a disk filling up) without raising."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _ignore_in_git(work_dir: Path) -> None:
    ignore = work_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# pytead's working files: never commit them\n*\n", encoding="utf-8")


@dataclass(frozen=True)
class JournalRead:
    """What a finished journal holds.

    Attributes:
        path: The journal file.
        records: Its records, in the order they were written.
        torn: How many unreadable lines were skipped (a write cut short by a crash).
    """

    path: Path
    records: tuple[dict[str, Any], ...]
    torn: int


@contextlib.contextmanager
def claim_finished_journals(storage_dir: Path) -> Iterator[list[JournalRead]]:
    """Lock and read every journal whose writer has finished; locks are held until exit.

    Journals still locked by a live process are left alone for a later compaction.
    """
    folder = journal_dir(storage_dir)
    claimed: list[tuple[int, JournalRead]] = []
    try:
        for path in sorted(folder.glob("*" + JOURNAL_SUFFIX)) if folder.is_dir() else []:
            fd = _try_lock(path)
            if fd is not None:
                claimed.append((fd, _read(path)))
        yield [read for _, read in claimed]
    finally:
        for fd, _ in claimed:
            os.close(fd)


def _try_lock(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _read(path: Path) -> JournalRead:
    records: list[dict[str, Any]] = []
    torn = 0
    with path.open("rb") as stream:
        for raw in stream:
            try:
                record = from_json(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, KeyError, json.JSONDecodeError):
                torn += 1
                continue
            if isinstance(record, dict):
                records.append(record)
            else:
                torn += 1
    return JournalRead(path, tuple(records), torn)


@contextlib.contextmanager
def store_lock(storage_dir: Path) -> Iterator[None]:
    """Hold the store-wide lock, so two processes never compact at the same time."""
    work = storage_dir / WORK_DIR
    work.mkdir(parents=True, exist_ok=True)
    _ignore_in_git(work)
    fd = os.open(work / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
