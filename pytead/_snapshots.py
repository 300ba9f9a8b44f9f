"""Recorded values -> the text of a syrupy ``.ambr`` snapshot file, written by syrupy itself.

The snapshot records what was captured, not what today's code returns, so ``pytest`` passes
right after ``gen-tests`` without ``--snapshot-update``. Using syrupy's own serializer and file
writer keeps the text byte-for-byte what ``pytest --snapshot-update`` would have written. An
object whose repr shows a memory address is written through its state (`pytead._amber`), as the
generated module's ``snapshot`` fixture then compares it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

SNAPSHOT_DIR = "__snapshots__"


def snapshot_path(test_module: Path) -> Path:
    """Where syrupy looks for the snapshots of *test_module*."""
    return test_module.parent / SNAPSHOT_DIR / f"{test_module.stem}.ambr"


def render_amber(snapshots: dict[str, Any]) -> str:
    """The ``.ambr`` text holding *snapshots* (test name -> value)."""
    from syrupy.data import Snapshot, SnapshotCollection
    from syrupy.extensions.amber.serializer import AmberDataSerializer

    from pytead._amber import serialize

    with tempfile.TemporaryDirectory() as folder:
        location = str(Path(folder) / "snapshots.ambr")
        collection = SnapshotCollection(location=location)
        for name, value in snapshots.items():
            collection.add(Snapshot(name=name, data=serialize(value)))
        AmberDataSerializer.write_file(collection, file_lock=False)
        return Path(location).read_text(encoding="utf-8")
