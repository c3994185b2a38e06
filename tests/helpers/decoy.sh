#!/bin/sh
# Run by tests/kill.rs as pid 1 of a new pid namespace whose /proc is still the parent's
# (unshare --pid --fork, without --mount-proc). HOLDER is the pid, in the parent namespace, of
# the process holding PORT. A decoy is started that has the same number in this namespace
# (ns_last_pid applies to the namespace of whoever writes it), then bindscope is asked to stop
# the holder: it must never signal the decoy. Everything here ends with this shell, pid 1.
set -u
BIN=$1
PORT=$2
HOLDER=$3
shift 3
echo $((HOLDER - 1)) > /proc/sys/kernel/ns_last_pid
sleep 30 &
DECOY=$!
if [ "$DECOY" != "$HOLDER" ]; then
    echo "no-decoy: got pid $DECOY, wanted $HOLDER"
    exit 0
fi
"$BIN" "$@" port "$PORT" --kill --yes --force --grace 200ms
echo "exit=$?"
if kill -0 "$DECOY" 2>/dev/null; then echo decoy-alive; else echo decoy-dead; fi
kill "$DECOY" 2>/dev/null
