"""The index lock: one index run at a time, on one machine (a lock file) or across hosts (a Chroma record).

A second writer waits up to a timeout, then says who holds the lock. The file
lock is an `flock` on MENTOR_HOME/index/index.lock: the kernel releases it when
its holder exits or is killed, so it never goes stale. The server lock is a
Chroma collection `<prefix>_lock` (creating a collection that exists fails, so
only one host can make it) whose metadata names the holder and a heartbeat the
holder renews; a lock whose heartbeat stopped (a killed run) is taken over.
Neither lock keeps readers out: they never wait.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import IndexBusyError

POLL = 0.5  # seconds between tries while waiting
HEARTBEAT = 10.0  # seconds between a server lock holder's heartbeats
STALE_AFTER = 120.0  # a server lock whose heartbeat is this old belongs to a dead run


@dataclass(frozen=True)
class Holder:
    """Who holds the lock: process id, host name, since when (ISO time, UTC), and a heartbeat (epoch seconds)."""

    pid: int
    host: str
    since: str
    beat: float = 0.0

    @classmethod
    def me(cls, clock: Callable[[], float] = time.time) -> "Holder":
        now = clock()
        return cls(os.getpid(), socket.gethostname(),
                   datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds"), now)

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"


def busy(holder: Holder | None, waited: float) -> IndexBusyError:
    who = holder.describe() if holder else "another process"
    after = f" (waited {waited:.0f} s)" if waited else ""
    return IndexBusyError(f"Another index run holds the index lock: {who}{after}.")


class FileLock:
    """An exclusive `flock` on one file, which also records the holder for the next writer's message."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def holder(self) -> Holder | None:
        """The holder recorded in the file, when the lock is held now (None when it is free)."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _read_holder(self.path)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def acquire(self, wait: float, on_wait: Callable[[Holder | None], None] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= wait:
                    os.close(fd)
                    raise busy(_read_holder(self.path), waited) from None
                if on_wait and not told:
                    on_wait(_read_holder(self.path))
                    told = True
                time.sleep(POLL)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(asdict(Holder.me())).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_holder(path: Path) -> Holder | None:
    try:
        return Holder(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # written a moment later, or by nobody


class ChromaLock:
    """The same lock for every host of one Chroma server: a collection that only one writer can create."""

    def __init__(self, client: Any, name: str, clock: Callable[[], float] = time.time) -> None:
        self.client, self.name, self.clock = client, name, clock
        self._stop: threading.Event | None = None

    def holder(self) -> Holder | None:
        try:
            metadata = self.client.get_collection(self.name, embedding_function=None).metadata or {}
        except Exception as err:  # chromadb's NotFoundError (or a lock released a moment ago)
            if _not_found(err):
                return None
            raise
        try:
            return Holder(int(metadata["pid"]), str(metadata["host"]), str(metadata["since"]), float(metadata["beat"]))
        except (KeyError, ValueError):
            return None

    def acquire(self, wait: float, on_wait: Callable[[Holder | None], None] | None = None) -> None:
        started, told = time.monotonic(), False
        while True:
            me = Holder.me(self.clock)
            try:
                self.client.create_collection(self.name, embedding_function=None, metadata=asdict(me))
                break
            except Exception as err:  # "Collection … already exists" (chromadb InternalError / UniqueConstraintError)
                if "already exists" not in str(err):
                    raise
            held = self.holder()
            if held is not None and self._stale(held):
                self._take_over(held)
                continue
            waited = time.monotonic() - started
            if waited >= wait:
                raise busy(held, waited)
            if on_wait and not told:
                on_wait(held)
                told = True
            time.sleep(POLL)
        self._stop = threading.Event()
        threading.Thread(target=self._beat, args=(me, self._stop), daemon=True).start()

    def _stale(self, held: Holder) -> bool:
        if held.host == socket.gethostname() and held.pid != os.getpid() and not _alive(held.pid):
            return True  # killed on this host: no need to wait for the heartbeat to age
        return self.clock() - held.beat > STALE_AFTER

    def _take_over(self, held: Holder) -> None:
        """Remove a dead run's lock, unless another writer took it over first (its record changed)."""
        if self.holder() == held:
            try:
                self.client.delete_collection(self.name)
            except Exception as err:
                if not _not_found(err):
                    raise

    def _beat(self, me: Holder, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT):
            try:
                collection = self.client.get_collection(self.name, embedding_function=None)
                collection.modify(metadata={**asdict(me), "beat": self.clock()})
            except Exception:  # a server gone for a moment: the run itself will report it
                continue

    def release(self) -> None:
        if self._stop is None:
            return
        self._stop.set()
        self._stop = None
        try:
            held = self.holder()
        except Exception:  # the server is gone: the run's own error says so; its lock goes stale and is taken over
            return
        if held is not None and (held.pid, held.host) == (os.getpid(), socket.gethostname()):
            try:
                self.client.delete_collection(self.name)
            except Exception:  # taken over as stale a moment ago, or the server is gone: nothing left to release
                return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _not_found(err: BaseException) -> bool:
    from .client import is_not_found  # imports chromadb: only a server lock needs it

    return is_not_found(err)
