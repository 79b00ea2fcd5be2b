"""The process's one fork server for trusted pytest runs (see ``forkserver``), shared by
every ``grader.grade`` call and stopped when a batch is done or the process exits.

The server preloads the grading plugin (``plugin``): the module its children run pytest with.
"""

from __future__ import annotations

import atexit
import sys
import threading

from coursekit.exercise import forkserver, plugin

_server: forkserver.ForkServer | None = None
_server_lock = threading.Lock()
_server_failed = False
_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"coursekit: {message}", file=sys.stderr)


def shared_fork_server() -> forkserver.ForkServer | None:
    """The process's fork server for trusted pytest runs, started on first use (and again
    if it has died); None, after one warning, where it cannot run at all."""
    global _server, _server_failed
    with _server_lock:
        if _server is not None and _server.alive():
            return _server
        if _server_failed:
            return None
        if _server is not None:
            _server.close()
        try:
            _server = forkserver.ForkServer(preload=(plugin.__name__,))  # the children's pytest plugin
        except (forkserver.ForkServerGone, OSError) as exc:
            _server, _server_failed = None, True
            warn_once(f"{exc}; grading goes on with a new Python process per submission")
            return None
        return _server


def stop_fork_server() -> None:
    """Stop the shared fork server and wait for it (a batch calls this when it is done, so
    no process outlives it and the CPU time of every test run is counted as its own)."""
    global _server
    with _server_lock:
        server, _server = _server, None
    if server is not None:
        server.close()


atexit.register(stop_fork_server)
