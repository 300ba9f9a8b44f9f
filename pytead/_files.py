"""Replacing a file atomically, the way the user's own tools would have written it.

Fixtures, test modules and edited sources are all written here: readers never see half a file,
an existing file keeps its mode, and a new one gets the mode the umask gives new files (a
temporary file from `tempfile.mkstemp` would be ``0600``, which a committed file should not be).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* (the file a symlink points to) with *data*, keeping the file's mode.

    A new file gets the mode the user's umask gives new files.
    """
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # 0o666 and the umask, as `open()` creates files; an existing file's mode is set after.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
