"""Everything that crosses the pipe between the trusted tests and the learner's code: the
value codec, the faults a test sees, and the agent that answers on the learner's side.

The grader never imports a learner's module. Its tests get a ``remote.LearnerProxy``
instead, which sends each attribute lookup and call as one line of JSON over a socket to
an agent in the sandboxed learner process, and turns the JSON reply back into plain
values. The agent (``serve``, the ``__main__`` of this file) is the only code that touches
the learner's module.

Trust runs one way. The agent and everything in its process belong to the learner: it
may lie, crash, print, hang or write garbage onto the socket. So the trusted side only
ever *decodes* what comes back, with a strict schema (``decode``) that builds nothing but
built-in values; it never unpickles, evaluates or imports anything the learner sends.
A learner's object with a rigged ``__eq__`` arrives as the plain value it converts to.

This file imports only the standard library and nothing from coursekit, because the
sandbox runs it as a script with an interpreter that cannot see the rest of the package.
The trusted side of the connection (``remote``) imports the codec and the faults from here.
"""

from __future__ import annotations

import json
import os
import socket
import sys

# base64, decimal, fractions, datetime and traceback are imported where they are needed:
# the agent starts once per submission, and most submissions never send such a value.

MAX_DEPTH = 64  # nesting deeper than this is refused both ways (json's own limit is ~1000 frames)
REPORT_CHARS = 2000  # an exception message from the learner, cut to this
TRACEBACK_CHARS = 4000


# --- the value codec ------------------------------------------------------------------
#
# JSON carries None, bool, int, float, str and list as themselves. Everything else that a
# test may reasonably compare with is a tagged object {"t": kind, "v": payload}, so that a
# tuple stays a tuple and a dict may have int keys. Nothing else crosses.


class Unsendable(TypeError):
    """A value that the codec does not carry (only plain built-in values do)."""


def encode(value: object, depth: int = 0) -> object:
    # Subclasses are converted to their base type on purpose: only the value crosses,
    # never the subclass's behaviour (an int subclass whose __eq__ always says True
    # arrives as a plain int).
    if depth > MAX_DEPTH:
        raise Unsendable("the value is nested too deeply to send")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    d = depth + 1
    if isinstance(value, list):
        return [encode(v, d) for v in list(value)]
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [encode(v, d) for v in tuple(value)]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[encode(k, d), encode(v, d)] for k, v in dict(value).items()]}
    if isinstance(value, frozenset):
        return {"t": "frozenset", "v": [encode(v, d) for v in frozenset(value)]}
    if isinstance(value, set):
        return {"t": "set", "v": [encode(v, d) for v in set(value)]}
    if isinstance(value, (bytes, bytearray)):
        import base64

        return {"t": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, complex):
        return {"t": "complex", "v": [float(value.real), float(value.imag)]}
    # A Decimal, Fraction or datetime value can only exist once its module is imported.
    decimal, fractions, _dt = (sys.modules.get(m) for m in ("decimal", "fractions", "datetime"))
    if decimal is not None and isinstance(value, decimal.Decimal):
        return {"t": "decimal", "v": str(decimal.Decimal(value))}
    if fractions is not None and isinstance(value, fractions.Fraction):
        return {"t": "fraction", "v": str(fractions.Fraction(value))}
    if _dt is not None:
        if isinstance(value, _dt.datetime):  # before date: a datetime is a date
            return {"t": "datetime", "v": _dt.datetime.isoformat(value)}
        if isinstance(value, _dt.date):
            return {"t": "date", "v": _dt.date.isoformat(value)}
        if isinstance(value, _dt.time):
            return {"t": "time", "v": _dt.time.isoformat(value)}
        if isinstance(value, _dt.timedelta):
            return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    raise Unsendable(
        f"a value of type {type(value).__name__} cannot be sent between the tests and "
        "the learner's code (only None, bool, int, float, str, list, tuple, dict, set, "
        "frozenset, bytes, complex, Decimal, Fraction and datetime values can)"
    )


def _datetime():
    import datetime

    return datetime


def _number(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ProtocolError("expected a number")
    return float(x)


def _text(x: object) -> str:
    if not isinstance(x, str):
        raise ProtocolError("expected a string")
    return x


def _items(x: object) -> list:
    if not isinstance(x, list):
        raise ProtocolError("expected a list")
    return x


def _hashable(x: object) -> object:
    try:
        hash(x)
    except TypeError:
        raise ProtocolError("a dict key or set member is not hashable") from None
    return x


def decode(obj: object, depth: int = 0) -> object:
    """Build plain built-in values from decoded JSON, or raise ProtocolError.

    Constructors used here take strings and numbers only (``Decimal(str)``,
    ``date.fromisoformat``), so nothing the learner sends can run code on this side.
    """
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    d = depth + 1
    if isinstance(obj, list):
        return [decode(v, d) for v in obj]
    if not isinstance(obj, dict) or set(obj) != {"t", "v"}:
        raise ProtocolError("unexpected JSON object in a value")
    kind, v = obj["t"], obj["v"]
    try:
        match kind:
            case "tuple":
                return tuple(decode(x, d) for x in _items(v))
            case "dict":
                out = {}
                for pair in _items(v):
                    if not isinstance(pair, list) or len(pair) != 2:
                        raise ProtocolError("a dict item is not a [key, value] pair")
                    out[_hashable(decode(pair[0], d))] = decode(pair[1], d)
                return out
            case "set":
                return {_hashable(decode(x, d)) for x in _items(v)}
            case "frozenset":
                return frozenset(_hashable(decode(x, d)) for x in _items(v))
            case "bytes":
                import base64

                return base64.b64decode(_text(v), validate=True)
            case "complex":
                re, im = _items(v)
                return complex(_number(re), _number(im))
            case "decimal":
                import decimal

                return decimal.Decimal(_text(v))
            case "fraction":
                import fractions

                return fractions.Fraction(_text(v))
            case "datetime":
                return _datetime().datetime.fromisoformat(_text(v))
            case "date":
                return _datetime().date.fromisoformat(_text(v))
            case "time":
                return _datetime().time.fromisoformat(_text(v))
            case "timedelta":
                days, secs, micros = (int(_number(x)) for x in _items(v))
                return _datetime().timedelta(days=days, seconds=secs, microseconds=micros)
    except ProtocolError:
        raise
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ProtocolError(f"malformed {kind!r} value: {exc}") from None
    raise ProtocolError(f"unknown value kind {kind!r}")


# --- faults: what a test sees when the learner's side misbehaves -----------------------
#
# These derive from BaseException, not Exception, so that `pytest.raises(Exception)` or a
# bare `except Exception` in a test can never turn a hang, a crash or a lie into a pass.
# pytest still reports them as ordinary test failures.


class LearnerFault(BaseException):
    """The learner's code could not answer: a limit, a crash, a bad reply."""


class LearnerTimeout(LearnerFault):
    """The learner's code ran past its time limit and its process was stopped."""


class LearnerGone(LearnerFault):
    """The learner's process ended (or was ended) before it answered."""


class ProtocolError(LearnerFault):
    """The other side sent something that is not a well-formed message (never a ValueError
    a test could be expecting)."""


class NotCarried(LearnerFault):
    """A test passed an argument the proxy cannot carry: the exercise's tests need more
    than plain values, and this grader cannot grade them as written. Not an Exception, so
    `pytest.raises(TypeError)` cannot mistake it for the learner's TypeError."""


class LearnerAborted(LearnerFault):
    """The learner's code raised something that is not an ordinary exception (SystemExit,
    KeyboardInterrupt, a pytest outcome) or returned a value that cannot be sent."""


# --- the agent: runs inside the sandbox, as the learner ------------------------------


def _report(exc: BaseException, fault: str | None = None) -> dict:
    bases = [c.__name__ for c in type(exc).__mro__[1:]]
    try:
        message = str(exc)
    except BaseException:
        message = "<str() of the exception failed>"
    try:  # the learner's frames only: the agent's and importlib's are noise to a reader
        import traceback

        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename != __file__ and not f.filename.startswith("<frozen")
        ]
        tb = "".join(traceback.format_list(frames[-8:]))
    except BaseException:
        tb = ""
    report = {
        "type": type(exc).__name__,
        "bases": bases,
        "message": message[:REPORT_CHARS],
        "traceback": tb[-TRACEBACK_CHARS:],
    }
    if fault:
        report["fault"] = fault
    return report


def _drop_privileges(uid: int) -> None:
    """As root in the sandbox: become ``uid``, with no capabilities and no way back.

    Root is exempt from RLIMIT_NPROC and owns every file, so learner code must never run
    as root. no_new_privs stops a setuid binary from handing privileges back.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    for cap in range(64):  # empty the bounding set while CAP_SETPCAP is still held
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP; fails harmlessly past the last cap
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise OSError("still root after setresuid")


def _reply_value(reply, rid: int, value: object) -> None:
    try:
        encoded = encode(value)
    except Unsendable as exc:  # a fault, not a TypeError a test could expect
        reply({"id": rid, "ok": False, "error": _report(exc, "unsendable")})
    else:
        reply({"id": rid, "ok": True, "value": encoded})


def _confine(uid: int, rlimits: dict[str, int], parent: int) -> None:
    """Become the learner: drop privileges, then take on the limits, before any learner code."""
    import ctypes
    import resource

    if uid >= 0:
        _drop_privileges(uid)
    if parent > 0:  # without bwrap: die with the grader (set after the uid change, which clears it)
        ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
        if os.getppid() != parent:
            os._exit(3)
    for name, value in rlimits.items():
        which = getattr(resource, name)
        _, hard = resource.getrlimit(which)
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        # CPU: SIGXCPU at the soft limit, SIGKILL one second later if that is ignored.
        top = soft + 1 if name == "RLIMIT_CPU" and (hard == resource.RLIM_INFINITY or soft < hard) else soft
        resource.setrlimit(which, (soft, top))


def serve(argv: list[str]) -> int:
    """The learner process's main loop: answer requests until the socket closes.

    argv: module path, uid to become (-1: stay), resource limits as JSON, the grader's pid
    to die with (-1: bwrap sees to that). The socket is fd 0; it is moved out of the way
    at once, so the learner's code reads an empty stdin.
    """
    module_path, uid, rlimits, parent = argv[0], int(argv[1]), json.loads(argv[2]), int(argv[3])
    rpc = socket.socket(fileno=os.dup(0))  # os.dup gives a non-inheritable copy
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    _confine(uid, rlimits, parent)
    import importlib.util

    out = rpc.makefile("wb", buffering=0)
    lines = rpc.makefile("rb")
    module = None

    def reply(message: dict) -> None:
        try:
            data = json.dumps(message, allow_nan=True).encode() + b"\n"
        except (TypeError, ValueError, RecursionError) as exc:
            data = (
                json.dumps(
                    {"id": message.get("id"), "ok": False, "error": _report(Unsendable(str(exc)), "unsendable")}
                ).encode()
                + b"\n"
            )
        out.write(data)

    reply({"id": 0, "ok": True, "value": "ready"})
    for line in lines:
        try:
            request = json.loads(line)
            rid, op = request["id"], request["op"]
        except (ValueError, KeyError, TypeError):
            return 2
        try:
            if op == "load":
                # A fresh module per test, as the local `learner` fixture does.
                module = None
                spec = importlib.util.spec_from_file_location("learner", module_path)
                fresh = importlib.util.module_from_spec(spec)
                sys.modules["learner"] = fresh
                spec.loader.exec_module(fresh)
                module = fresh
                reply({"id": rid, "ok": True, "value": None})
            elif module is None:
                reply({"id": rid, "ok": False, "error": _report(RuntimeError("the module is not loaded"))})
            elif op == "dir":
                reply({"id": rid, "ok": True, "value": [n for n in dir(module) if isinstance(n, str)]})
            elif op == "attr":
                value = getattr(module, request["name"])
                if callable(value):
                    reply({"id": rid, "ok": True, "callable": True})
                else:
                    _reply_value(reply, rid, value)
            elif op == "call":
                fn = getattr(module, request["name"])
                args = [decode(a) for a in request["args"]]
                kwargs = {str(k): decode(v) for k, v in request["kwargs"]}
                _reply_value(reply, rid, fn(*args, **kwargs))
            else:
                return 2
        except BaseException as exc:
            reply({"id": rid, "ok": False, "error": _report(exc)})
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
