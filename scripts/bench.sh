#!/usr/bin/env bash
# Times bindscope against the system tools, in one run, on this machine.
# Not part of the tests. Needs root (for the namespace with 200 interfaces) and installs
# hyperfine from Debian's packages if it is missing. Results go to docs/benchmarks.md by hand.
#
#   bash scripts/bench.sh            # everything
#   RUNS=50 bash scripts/bench.sh    # fewer runs
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-200}
NS="bs-bench-$$"
OUT=${OUT:-target/bench}
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null || ! command -v nft >/dev/null; then
    apt-get update -qq && apt-get install -y -qq hyperfine nftables
fi
if [ ! -x /usr/bin/time ] || ! command -v lsof >/dev/null || ! command -v ss >/dev/null; then
    apt-get update -qq && apt-get install -y -qq time lsof iproute2
fi

cargo build --release --quiet
BIN=$PWD/target/release/bindscope

HOLDERS=()
cleanup() {
    for pid in "${HOLDERS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
    ip netns del "$NS-sockets" 2>/dev/null || true
}
trap cleanup EXIT

echo "## Machine"
echo "$(date -u +%F) · $(nproc) cores · $(uname -sr) · $(ip -o link | wc -l) links"
echo

echo "## interfaces --json vs ip -j addr (this machine)"
hyperfine -N --warmup 20 --runs "$RUNS" \
    --export-markdown "$OUT/interfaces.md" \
    "$BIN interfaces --json" \
    "ip -j addr"

echo "## interfaces --json vs ip -j addr (200 interfaces in a namespace)"
ip netns add "$NS"
ip -n "$NS" link set lo up
# 100 veth pairs (the dummy driver is not in every kernel), every end addressed and up.
{
    for n in $(seq 0 99); do
        echo "link add v${n}a type veth peer name v${n}b"
        echo "addr add 10.203.$((n / 100)).$((2 * (n % 100) + 1))/31 dev v${n}a"
        echo "addr add 10.203.$((n / 100)).$((2 * (n % 100)))/31 dev v${n}b"
        echo "link set v${n}a up"
        echo "link set v${n}b up"
    done
    echo "route add default via 10.203.0.0 dev v0a"
} | ip -n "$NS" -batch -
echo "links in the namespace: $(ip -n "$NS" -o link | wc -l)"
# nsenter only switches the network namespace; `ip netns exec` also remounts /sys, which
# would add the same few milliseconds to both sides.
IN_NS="nsenter --net=/run/netns/$NS"
hyperfine -N --warmup 20 --runs "$RUNS" \
    --export-markdown "$OUT/interfaces-200.md" \
    "$IN_NS $BIN interfaces --json" \
    "$IN_NS ip -j addr"

echo "## probe of every local address (201), one silently dropping packets, --timeout 1s"
printf 'add table inet bench\nadd chain inet bench input { type filter hook input priority 0 ; }\nadd rule inet bench input ip daddr 10.203.0.1 tcp dport 5000 drop\n' |
    ip netns exec "$NS" nft -f -
hyperfine -N -i --warmup 1 --runs 10 \
    --export-markdown "$OUT/probe.md" \
    "$IN_NS $BIN probe -p 5000 --timeout 1s"

echo "## listeners vs ss -ltnp vs lsof (~2,000 listening sockets in ~80 processes)"
# In a namespace of their own, so the host's ports are untouched; every tool is run there.
ip netns add "$NS-sockets"
ip -n "$NS-sockets" link set lo up
PROCESSES=${PROCESSES:-80}
PER_PROCESS=${PER_PROCESS:-25}
for _ in $(seq "$PROCESSES"); do
    ip netns exec "$NS-sockets" python3 - "$PER_PROCESS" <<'PY' &
import socket, sys, time
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    held.append(s)
time.sleep(600)
PY
    HOLDERS+=($!)
done
IN_SOCKETS="nsenter --net=/run/netns/$NS-sockets"
# Ready when every socket is listening.
want=$((PROCESSES * PER_PROCESS))
for _ in $(seq 300); do
    have=$($IN_SOCKETS ss -ltnH | wc -l)
    [ "$have" -ge "$want" ] && break
    sleep 0.1
done
echo "listening sockets: $($IN_SOCKETS ss -ltnH | wc -l) in $PROCESSES processes"
echo "rows: bindscope $($IN_SOCKETS "$BIN" listeners --tcp --json |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["listeners"]))')," \
    "ss $($IN_SOCKETS ss -ltnpH | wc -l)," \
    "lsof $($IN_SOCKETS lsof -iTCP -sTCP:LISTEN -nP | tail -n +2 | wc -l)"
hyperfine -N --warmup 5 --runs "$((RUNS / 4 + 10))" \
    --export-markdown "$OUT/listeners.md" \
    "$IN_SOCKETS $BIN listeners --tcp" \
    "$IN_SOCKETS $BIN listeners --tcp --json" \
    "$IN_SOCKETS ss -ltnp" \
    "$IN_SOCKETS lsof -iTCP -sTCP:LISTEN -nP"

echo "## start-up: the overview, expose, explain and --version"
hyperfine -N --warmup 20 --runs "$RUNS" \
    --export-markdown "$OUT/startup.md" \
    "$BIN --version" \
    "$BIN --json" \
    "$BIN expose 0.0.0.0 --json" \
    "$BIN explain ports" \
    "$BIN --lang ko explain loopback-vs-lan"

echo "## peak memory (maximum resident set size)"
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
for args in "--json" "interfaces --json" "expose :: --json" "urls --json" "explain ports"; do
    # shellcheck disable=SC2086
    echo "bindscope $args: $(peak "$BIN" $args) kB"
done
echo "bindscope interfaces --json (200 interfaces): $(peak $IN_NS "$BIN" interfaces --json) kB"
echo "bindscope probe -p 5000 --timeout 1s (201 addresses): $(peak $IN_NS "$BIN" probe -p 5000 --timeout 1s) kB"
echo "bindscope listeners --tcp (2,000 sockets): $(peak $IN_SOCKETS "$BIN" listeners --tcp) kB"
echo "ss -ltnp (2,000 sockets): $(peak $IN_SOCKETS ss -ltnp) kB"
echo "lsof -iTCP -sTCP:LISTEN -nP (2,000 sockets): $(peak $IN_SOCKETS lsof -iTCP -sTCP:LISTEN -nP) kB"
