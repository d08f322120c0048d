"""One run at a time per folder: an exclusive `fcntl.flock` on a lock file inside the folder.

Two runs sharing a build folder would mix their stage outputs and cache, and two runs sharing an
output folder would race on `latest.json`; so a run holds the lock of both folders for its whole
length. The kernel drops a flock when its process dies, however it dies (SIGKILL included), so a
crashed run never leaves a stale lock behind: the lock file stays, the lock does not. The file is
never deleted (deleting it would let a waiting process lock an unlinked file while a third one
locks a new file of the same name); it holds the pid of the last holder, for the messages.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from broadsheet.paths import LOCK_FILE

LOCK_NAME = LOCK_FILE
# How often a waiting run tries again; flock's own blocking wait cannot say whom it waits for.
POLL_S = 0.5

# Folders this process holds the lock of (resolved path → open lock file).
_held: dict[Path, int] = {}


class FolderLocked(RuntimeError):
    """Another process holds the lock of a folder."""

    def __init__(self, folder: Path, holder: int | None):
        self.folder, self.holder = folder, holder
        who = f"process {holder}" if holder else "another process"
        super().__init__(
            f"{folder} is in use by {who} (another broadsheet run on the same folder); "
            "wait for it to finish, or pass --wait to queue behind it"
        )


def lock_path(folder: Path) -> Path:
    return Path(folder) / LOCK_NAME


def holder(folder: Path) -> int | None:
    """The pid written by the last process that took the folder's lock (None when unknown)."""
    try:
        text = lock_path(folder).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def holds(folder: Path) -> bool:
    """Whether this process holds the lock of `folder`."""
    return Path(folder).resolve() in _held


def _try_lock(folder: Path) -> int | None:
    """The open, locked lock file of `folder`, or None when another process holds it."""
    fd = os.open(lock_path(folder), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    # Only the holder writes, so a reader sees the holder's pid or, for an instant, nothing.
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


@contextlib.contextmanager
def hold(folders: Sequence[Path], wait: bool = False, say=None) -> Iterator[None]:
    """Hold the lock of every folder (created if missing) until the block ends.

    Without `wait`, a folder locked by another process raises `FolderLocked` (naming the folder
    and the holder's pid) and nothing is held. With `wait`, the run says once whom it waits for
    (through `say`, default: stderr) and takes the locks when they are free. Folders are locked
    in one fixed order (by resolved path), so two waiting runs cannot deadlock; a folder given
    twice, or already held by this process, is locked once.
    """
    say = say or (lambda text: print(text, file=sys.stderr, flush=True))
    ordered = sorted({Path(f).resolve() for f in folders})
    taken: list[Path] = []
    try:
        for folder in ordered:
            if folder in _held:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            announced = False
            while (fd := _try_lock(folder)) is None:
                if not wait:
                    raise FolderLocked(folder, holder(folder))
                if not announced:
                    who = holder(folder)
                    say(f"broadsheet: waiting for {folder}, in use by {'process ' + str(who) if who else 'another process'}")
                    announced = True
                time.sleep(POLL_S)
            _held[folder] = fd
            taken.append(folder)
        yield
    finally:
        for folder in reversed(taken):
            fd = _held.pop(folder)
            # Closing the file releases the flock; the pid stays as a note of the last holder.
            os.close(fd)
