"""Hostile: become root again (setuid, sudo, a user namespace of its own where it is
"root"), then unmount whatever hides the course and read the solution. (No su: its
password prompt only waits; no_new_privs already makes every setuid binary powerless.)"""

import os
import shutil
import subprocess
import sys

FIXTURE = "__FIXTURE__"
SOLUTION = os.path.join(FIXTURE, "solution.py")
for line in open("/proc/self/status"):
    if line.startswith(("Uid:", "Gid:", "CapEff:", "CapPrm:", "CapBnd:", "NoNewPrivs:")):
        print("status", " ".join(line.split()))

for name, attempt in (
    ("setuid", lambda: os.setuid(0)),
    ("setgid", lambda: os.setgid(0)),
    ("shadow", lambda: open("/etc/shadow").read()),
):
    try:
        attempt()
        print("ROOT", name)
    except OSError as exc:
        print("refused", name, exc.errno)

# Inside a new user and mount namespace (a copy: nothing done there touches the real
# mounts), try to lift every tmpfs that might be hiding the course.
UNMOUNT_ALL = f"""
import subprocess
points = [l.split()[4] for l in open("/proc/self/mountinfo") if " - tmpfs " in l]
for p in sorted(points, key=len, reverse=True):
    subprocess.run(["umount", "-l", p], capture_output=True)
print(open({SOLUTION!r}).read())
"""
attempts = (
    ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c", UNMOUNT_ALL],
    ["sudo", "-n", "cat", SOLUTION],
)
for argv in attempts:
    if shutil.which(argv[0]) is None:
        continue
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=5, stdin=subprocess.DEVNULL)
        out = done.stdout + done.stderr
        print("ROOT" if "return a + b" in out else "refused", argv[0], " ".join(out.split())[-160:])
    except (OSError, subprocess.SubprocessError) as exc:
        print("refused", argv[0], exc)


def add(a, b):
    return 0


def total(path="data/numbers.csv"):
    return 0
