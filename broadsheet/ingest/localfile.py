"""Reading one local file safely: only a regular file, only up to a size, only the file that was listed.

Opening a path is where hostile input strikes: a FIFO blocks `open` until someone writes to
it (forever, in a batch run), a device such as /dev/zero never ends, and a file that was a
regular file when its folder was listed may be a symbolic link a moment later. So a file is
opened without blocking (`O_NONBLOCK`: a FIFO opens at once and is then refused), and
everything is judged on the open descriptor (`fstat`), never on the path again:

- it must be a regular file, else `NotRegularFile` (a FIFO, a device, a socket, a folder);
- it must be the file that was listed, when the caller says which (`identity`, the device and
  inode it had then), else `ReplacedFile`;
- it must not hold more than `max_bytes`, else `FileTooLarge` (its size is checked before
  reading, and the read stops one byte past the limit in case it grows meanwhile);
- with `follow_links=False` a path whose last part is a symbolic link is refused (`O_NOFOLLOW`,
  an `OSError` with errno ELOOP).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileTooLarge", "NotRegularFile", "ReplacedFile", "file_kind", "read_regular_file"]

_READ_PIECE = 1 << 20


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder: nothing an article is read from."""


class ReplacedFile(OSError):
    """The path no longer leads to the file that was listed."""


class FileTooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_regular_file(
    path: str | Path,
    max_bytes: int,
    *,
    follow_links: bool = True,
    identity: tuple[int, int] | None = None,
) -> bytes:
    """The bytes of the regular file at `path`; raises the errors of the module docstring or `OSError`."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    descriptor = os.open(path, flags)  # a socket fails here (ENXIO); a FIFO opens without waiting
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{file_kind(info.st_mode)}, not a regular file")
        if identity is not None and (info.st_dev, info.st_ino) != identity:
            raise ReplacedFile("the file was replaced by another after its folder was listed")
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size)
        pieces = []
        size = 0
        while size <= max_bytes:
            piece = os.read(descriptor, min(_READ_PIECE, max_bytes + 1 - size))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
        if size > max_bytes:  # it grew between fstat and read
            raise FileTooLarge(size)
        return b"".join(pieces)
    finally:
        os.close(descriptor)
