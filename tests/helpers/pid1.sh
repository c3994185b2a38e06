#!/bin/sh
# Run by tests/kill.rs as pid 1 of a new pid namespace (unshare --pid --fork --mount-proc).
# The Python helper replaces this shell after forking bindscope, so pid 1 holds the port;
# bindscope, in the same namespace, is asked to kill its owner and must refuse. Pid 1 ends
# when bindscope is done (or after 10 s), which ends the namespace.
set -eu
BIN=$1
DIR=$(mktemp -d)
(
    # Wait (bounded) until pid 1 reports its port, then ask bindscope to stop it.
    i=0
    while [ ! -s "$DIR/port" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
    "$BIN" port "$(cat "$DIR/port")" --kill --yes --grace 200ms --json || true
    if kill -0 1 2>/dev/null; then echo survived; fi
    touch "$DIR/done"
) &
exec python3 -c '
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(os.path.join(sys.argv[1], "port"), "w").write(str(s.getsockname()[1]))
deadline = time.time() + 10
while not os.path.exists(os.path.join(sys.argv[1], "done")) and time.time() < deadline:
    time.sleep(0.01)
' "$DIR"
