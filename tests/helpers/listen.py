"""Holds sockets for bindscope's tests.

Each argument is PROTO,HOST,PORT[,OPTION...] (port 0: the OS picks), e.g.
    tcp,127.0.0.1,0   udp,::,0,v6only=0   tcp,::,0,v6only=1
    udp,127.0.0.2,5000,connect=127.0.0.1:9   (a UDP client: bound, then connected; a UDP
    connect sends nothing)
or a flag: --ignore-term (survive SIGTERM), --fork (a child process holds the sockets too,
like Werkzeug's reloader; its pid is printed after the ports), --name=NAME (the process name
the kernel reports, its `comm`: at most 15 bytes, any but NUL).

Prints the bound ports on one line once every socket is ready, then waits until stdin closes,
at most 120 seconds, so that no helper outlives its test.
"""
import ctypes
import os
import signal
import socket
import sys

signal.alarm(120)
held = []
ports = []
fork = False
for arg in sys.argv[1:]:
    if arg == "--ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        continue
    if arg == "--fork":
        fork = True
        continue
    if arg.startswith("--name="):
        # PR_SET_NAME = 15; the kernel keeps the first 15 bytes.
        name = os.fsencode(arg[len("--name="):])
        if ctypes.CDLL(None, use_errno=True).prctl(15, ctypes.c_char_p(name), 0, 0, 0) != 0:
            sys.exit("prctl(PR_SET_NAME) failed")
        continue
    proto, host, port, *options = arg.split(",")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    peer = None
    for option in options:
        name, value = option.split("=")
        if name == "v6only":
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(value))
        if name == "connect":
            peer_host, peer_port = value.rsplit(":", 1)
            peer = (peer_host, int(peer_port))
    s.bind((host, int(port)))
    if peer:
        s.connect(peer)
    if kind == socket.SOCK_STREAM:
        s.listen()
    s.set_inheritable(fork)
    held.append(s)
    ports.append(s.getsockname()[1])

line = " ".join(str(p) for p in ports)
if fork:
    child = os.fork()
    if child == 0:
        signal.alarm(120)
        sys.stdin.read()
        os._exit(0)
    line += " " + str(child)
print(line, flush=True)
sys.stdin.read()
