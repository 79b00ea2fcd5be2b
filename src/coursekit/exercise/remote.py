"""The learner's module seen from the trusted tests: a connection to the agent and the
proxy object the tests get as ``learner``.

The ``LearnerProxy`` sends each attribute lookup and call as one line of JSON over a
socket to the agent in the sandboxed learner process (``proxy``), and turns the JSON reply
back into plain values with the strict codec (``proxy.decode``). Errors the learner's code
raised come back as reports and become built-in exceptions here (``learner_exception``).
"""

from __future__ import annotations

import builtins
import json
import select
import socket
import time

from coursekit.exercise.proxy import (
    REPORT_CHARS,
    TRACEBACK_CHARS,
    LearnerAborted,
    NotCarried,
    ProtocolError,
    Unsendable,
    decode,
    encode,
)

# Built-in exception classes a learner's error may be mapped to: only Exception
# subclasses, so a learner can raise a test-visible ValueError but never a SystemExit in
# the trusted process.
_MAPPABLE = {name: cls for name, cls in vars(builtins).items() if isinstance(cls, type) and issubclass(cls, Exception)}


def learner_exception(report: dict) -> BaseException:
    """The exception a test sees for an error report from the agent.

    A learner's ``ValueError`` (or a subclass of it) becomes a real ``ValueError`` here, so
    ``pytest.raises(ValueError)`` works as it does locally; the learner's own class name
    and traceback travel as a note, as text.
    """
    kind = str(report.get("type", "Exception"))[:100]
    message = str(report.get("message", ""))[:REPORT_CHARS]
    bases = report.get("bases")
    names = [kind] + [str(b)[:100] for b in bases[:32]] if isinstance(bases, list) else [kind]
    note = f"raised in the learner's code: {kind}: {message}"
    tb = report.get("traceback")
    if isinstance(tb, str) and tb:
        note += "\n" + tb[-TRACEBACK_CHARS:].rstrip()
    if report.get("fault") == "unsendable":
        exc: BaseException = LearnerAborted(message)
    else:
        exc = LearnerAborted(f"the learner's code raised {kind}: {message}")
        for name in names:
            cls = _MAPPABLE.get(name)
            if cls is None:
                continue
            try:
                exc = cls(message)
            except Exception:
                continue
            break
    exc.add_note(note)
    return exc


# --- the trusted side: a connection and the proxy object ------------------------------


class Connection:
    """Line-delimited JSON requests and replies over one end of a socketpair.

    Reading is bounded in time (a deadline per request) and in size (``max_reply``
    bytes per line), so a learner who never answers, or answers forever, costs the
    grader at most those bounds.
    """

    def __init__(self, sock: socket.socket, max_reply: int) -> None:
        self.sock = sock
        self.max_reply = max_reply
        self._buf = b""
        self._next_id = 0

    def send(self, message: dict) -> None:
        self.sock.sendall(json.dumps(message, allow_nan=True).encode() + b"\n")

    def read(self, deadline: float) -> dict:
        while b"\n" not in self._buf:
            if len(self._buf) > self.max_reply:
                raise ProtocolError(f"a reply longer than {self.max_reply} bytes")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                raise TimeoutError
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise EOFError
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        if len(line) > self.max_reply:
            raise ProtocolError(f"a reply longer than {self.max_reply} bytes")
        try:
            message = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(f"a reply that is not JSON ({exc.__class__.__name__})") from None
        if not isinstance(message, dict):
            raise ProtocolError("a reply that is not a JSON object")
        return message

    def request(self, message: dict, deadline: float) -> dict:
        self._next_id += 1
        self.send({"id": self._next_id, **message})
        reply = self.read(deadline)
        if reply.get("id") != self._next_id:
            raise ProtocolError("a reply to a request that was not sent")
        return reply


class LearnerProxy:
    """What the tests get as ``learner``: looks like the learner's module, holds nothing of it.

    ``ask(message) -> reply`` is supplied by the grader; it owns the learner's process,
    its time limits and its restarts, and raises a ``LearnerFault`` when there is no answer.
    """

    __slots__ = ("_ask",)

    def __init__(self, ask) -> None:
        object.__setattr__(self, "_ask", ask)

    def __getattr__(self, name: str) -> object:
        __tracebackhide__ = True  # pytest: a failure shows the test's line, not this one
        if name.startswith("__"):  # pytest and inspect probe dunders; the module's are not ours to give
            raise AttributeError(name)
        reply = self._ask({"op": "attr", "name": name})
        if not reply.get("ok"):
            raise _error_from(reply)
        if reply.get("callable") is True:
            return RemoteFunction(self._ask, name)
        return _value_from(reply)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("the learner's module is read-only from the tests")

    def __dir__(self) -> list[str]:
        reply = self._ask({"op": "dir"})
        names = _value_from(reply) if reply.get("ok") else []
        return sorted(n for n in names if isinstance(n, str)) if isinstance(names, list) else []

    def __repr__(self) -> str:
        return "<the learner's module, in its sandbox>"


class RemoteFunction:
    """A callable attribute of the learner's module; each call is one request."""

    __slots__ = ("_ask", "__name__")

    def __init__(self, ask, name: str) -> None:
        self._ask = ask
        self.__name__ = name

    def __call__(self, *args: object, **kwargs: object) -> object:
        __tracebackhide__ = True  # pytest: a failure shows the test's line, not this one
        try:
            message = {
                "op": "call",
                "name": self.__name__,
                "args": [encode(a) for a in args],
                "kwargs": [[k, encode(v)] for k, v in kwargs.items()],
            }
        except Unsendable as exc:
            raise NotCarried(f"an argument of {self.__name__}(): {exc}") from None
        reply = self._ask(message)
        if not reply.get("ok"):
            raise _error_from(reply)
        return _value_from(reply)

    def __repr__(self) -> str:
        return f"<learner function {self.__name__}>"


def _value_from(reply: dict) -> object:
    if "value" not in reply:
        raise ProtocolError("a reply with neither a value nor an error")
    return decode(reply["value"])


def _error_from(reply: dict) -> BaseException:
    report = reply.get("error")
    if not isinstance(report, dict):
        return ProtocolError("an error reply without an error report")
    return learner_exception(report)
