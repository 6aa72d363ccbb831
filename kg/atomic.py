"""Output files that are complete or absent: write to a temporary file beside the target, then rename.

A failed or interrupted run never leaves a half-written file and never clobbers the one the user had.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from kg.errors import OutputError


def check_writable(path: str | Path) -> None:
    """Raise :class:`OutputError` unless ``path`` can be created or replaced.

    Called before long work (a build) so the user learns about a bad ``--out`` at once.
    """
    path = Path(path)
    parent = path.parent
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if not parent.exists():
        raise OutputError(f"{path}: directory {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise OutputError(f"{path}: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: permission denied (cannot write in {str(parent)!r})")

def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, fsync it, then rename it over ``path``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_bytes(p, b"one") == p, p.read_bytes()
    (True, b'one')
    """
    path = Path(path)
    check_writable(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        # os.open with 0o666 honours the umask, so the result gets ordinary file permissions.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        _remove_quietly(tmp)
        raise OutputError(f"{path}: cannot write ({e.strerror or e})") from None
    except BaseException:
        _remove_quietly(tmp)   # e.g. KeyboardInterrupt mid-write: leave nothing behind
        raise
    _fsync_dir(path.parent)
    return path

def atomic_write_text(path: str | Path, text: str) -> Path:
    """:func:`atomic_write_bytes` for text, encoded as UTF-8."""
    return atomic_write_bytes(path, text.encode("utf-8"))

def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
