"""Output files that are complete or absent: write to a temporary file beside the target, then rename.

A failed or interrupted run never leaves a half-written file and never clobbers the one the user had.
The one place that decides what an output path may be: never an input of the same command, never a
directory, block device or socket; a symlink is written through (its target replaced, the link kept);
a character device or FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written to directly.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from kg.errors import OutputError


def check_writable(path: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Raise :class:`OutputError` unless ``path`` can be created or replaced without harm.

    Refused: an output that is one of ``inputs`` (by file identity, so other spellings, symlinks and hard
    links count), a directory, a block device or socket. A symlink is followed (its target is written);
    character devices and FIFOs (``/dev/null``, ``/dev/stdout``) are written through. Called before long
    work (a build) so the user learns about a bad ``--out`` at once.
    """
    path = Path(path)
    target = _target(path)
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror or e})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{path}: is a directory")
        if not (stat.S_ISREG(st.st_mode) or _write_through(st)):
            raise OutputError(f"{path}: is a {_kind(st)}, not a file; refusing to write it")
        for item in inputs:
            try:
                if os.path.samefile(item, target):
                    raise OutputError(f"{path}: is also an input ({item}); refusing to overwrite it")
            except OSError:
                continue
        if _write_through(st):
            if not os.access(target, os.W_OK):
                raise OutputError(f"{path}: permission denied")
            return
    parent = target.parent
    if not parent.exists():
        raise OutputError(f"{path}: directory {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise OutputError(f"{path}: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: permission denied (cannot write in {str(parent)!r})")


def same_output(a: str | Path, b: str | Path) -> bool:
    """Whether two output paths name the same file (existing or not)."""
    ta, tb = _target(Path(a)), _target(Path(b))
    try:
        return os.path.samefile(ta, tb)
    except OSError:
        return os.path.abspath(ta) == os.path.abspath(tb)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, fsync it, then rename it over ``path``.

    A symlink is followed: its target is replaced and the link stays. A character device or FIFO is
    written to directly (there is nothing to replace).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_bytes(p, b"one") == p, p.read_bytes()
    (True, b'one')
    """
    def write(f) -> None:
        view = memoryview(data)
        while view:
            view = view[f.write(view):]
    atomic_write(path, write)
    return Path(path)


def atomic_write(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(binary file)`` on a temporary file beside ``path`` (beside a symlink's target), fsync,
    rename it over; a failure or Ctrl-C leaves the old file as it was and no temporary file behind."""
    path = Path(path)
    check_writable(path)
    target = _target(path)
    try:
        st = target.stat()
    except OSError:
        st = None
    if st is not None and _write_through(st):
        try:
            with open(target, "wb", buffering=0) as f:
                write(f)
        except OSError as e:
            raise OutputError(f"{path}: cannot write ({e.strerror or e})") from None
        return path
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        # os.open with 0o666 honours the umask, so the result gets ordinary file permissions.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb", buffering=0) as f:
            write(f)
            os.fsync(f.fileno())
        if st is not None:
            _keep_mode(tmp, st)
        os.replace(tmp, target)
    except OSError as e:
        _remove_quietly(tmp)
        raise OutputError(f"{path}: cannot write ({e.strerror or e})") from None
    except BaseException:
        _remove_quietly(tmp)   # e.g. KeyboardInterrupt mid-write: leave nothing behind
        raise
    _fsync_dir(target.parent)
    return path


def _target(path: Path) -> Path:
    """What writing ``path`` really writes: a symlink's (final) target, else ``path`` itself. A link to a
    device or pipe (``/dev/stdout`` -> ``/proc/self/fd/1`` -> ``pipe:[...]``) stays as given: opening it
    follows it, while its "real path" names nothing."""
    if not path.is_symlink():
        return path
    try:
        st = os.stat(path)
    except OSError:
        return Path(os.path.realpath(path))        # dangling: the file it names is created
    return Path(os.path.realpath(path)) if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode) else path


def _write_through(st: os.stat_result) -> bool:
    return stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)


def _kind(st: os.stat_result) -> str:
    mode = st.st_mode
    return ("block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode)
            else "directory" if stat.S_ISDIR(mode) else "special file")


def _keep_mode(tmp: Path, st: os.stat_result) -> None:
    """The replacement keeps the permission bits of the file it replaces."""
    try:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
    except OSError:
        pass


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
