"""Churns short-lived socket holders for bindscope's fault tests.

Usage: churn.py SOCKETS LIMIT
Forks a child that listens on SOCKETS loopback ports (the OS picks them) and exits at once,
then the next, one after another: at most LIMIT children and 60 seconds, and it stops as soon
as stdin closes. Prints "ready" once the first child has come and gone.
"""
import os
import select
import signal
import socket
import sys
import time

signal.alarm(90)
per_child, limit = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 60
for n in range(limit):
    if time.monotonic() > deadline:
        break
    child = os.fork()
    if child == 0:
        held = []
        for _ in range(per_child):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen()
            held.append(s)
        os._exit(0)
    os.waitpid(child, 0)
    if n == 0:
        print("ready", flush=True)
    # stdin carries nothing: readable means it closed.
    if select.select([sys.stdin], [], [], 0)[0]:
        break
