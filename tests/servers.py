"""Starting servers on this machine: a free port, and waiting until a server listens on it.

Used by the tests that start gunicorn or redis-server and by the bench scripts that do.
"""

from __future__ import annotations

import socket
import subprocess
import time


def free_port(preferred: int = 0) -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now: ``preferred`` if free, else any."""
    for port in dict.fromkeys([preferred, 0]):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Return once something accepts connections on ``port``; fail if ``proc`` exits first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
