"""Run a program in a real pseudo-terminal and watch exactly what it writes to the screen.

The cold-start and SSH figures need what a user's terminal (or an SSH channel) receives, not what
a headless driver would have rendered: the bytes are read from the pty master with a timestamp
per chunk, so "first paint" is the moment the first thread's name reached the terminal and "bytes
per keypress" is everything written after the key, byte for byte.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class _Output:
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, data: bytes) -> None:
        with self.lock:
            self.chunks.append((time.perf_counter(), data))

    def snapshot(self) -> list[tuple[float, bytes]]:
        with self.lock:
            return list(self.chunks)


class PtySession:
    """One child process on a pty of ``cols`` × ``rows``; stop it with ``close()``."""

    def __init__(
        self, argv: Sequence[str], *, cols: int, rows: int, env: Mapping[str, str] | None = None, cwd: str | None = None
    ) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        child_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=child_env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._master = master
        self._output = _Output()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            self._output.add(data)

    # --- observing --------------------------------------------------------------------------------

    @property
    def output(self) -> bytes:
        return b"".join(chunk for _, chunk in self._output.snapshot())

    def mark(self) -> int:
        """A position in the output stream (number of chunks so far)."""
        return len(self._output.snapshot())

    def first_output(self) -> float | None:
        """Seconds from process start to the first byte the program wrote (``None``: nothing yet)."""
        chunks = self._output.snapshot()
        return chunks[0][0] - self.started if chunks else None

    def bytes_since(self, mark: int) -> bytes:
        return b"".join(chunk for _, chunk in self._output.snapshot()[mark:])

    def wait_for(self, needle: bytes, timeout: float = 30.0) -> float:
        """Seconds from process start until ``needle`` first appeared in the output."""
        return self.wait_for_after(0, needle, timeout)

    def wait_for_after(self, mark: int, needle: bytes, timeout: float = 30.0) -> float:
        """Like ``wait_for``, but only output written after ``mark`` counts."""
        deadline = time.perf_counter() + timeout
        seen = b""
        count = mark
        while time.perf_counter() < deadline:
            chunks = self._output.snapshot()
            for stamp, chunk in chunks[count:]:
                # Keep a tail of the previous chunks so a needle split across reads is still found.
                seen = seen[-len(needle) :] + chunk
                if needle in seen:
                    return stamp - self.started
            count = len(chunks)
            if self.process.poll() is not None:
                raise RuntimeError(f"the program exited with {self.process.returncode} before showing {needle!r}")
            time.sleep(0.002)
        raise TimeoutError(f"{needle!r} did not appear within {timeout} s")

    def wait_output(self, mark: int, timeout: float = 5.0) -> None:
        """Return once something was written after ``mark`` (or after ``timeout``: nothing was)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self.mark() <= mark:
            time.sleep(0.002)

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 10.0) -> None:
        """Return once nothing has been written for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunks = self._output.snapshot()
            last = chunks[-1][0] if chunks else self.started
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.02)

    # --- driving ----------------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        os.write(self._master, data)

    def hang_up(self) -> None:
        """The terminal goes away under the app (an SSH link drops): the master side closes, and
        the app is not signalled (the pty is not its controlling terminal)."""
        self._stop.set()
        self._reader.join(timeout=1)
        if self._master >= 0:
            os.close(self._master)
        self._master = -1

    def close(self, quit_keys: bytes = b"q", grace: float = 3.0) -> None:
        """Ask the app to quit (``q``), then end this child (by its own pid) if it lingers."""
        if self.process.poll() is None:
            try:
                self.send(quit_keys)
            except OSError:
                pass
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
        self._stop.set()
        self._reader.join(timeout=1)
        if self._master >= 0:
            os.close(self._master)
