#!/usr/bin/env bash
# The benchmark grid of docs/benchmarks.md: bindscope against ss, lsof, netstat and ip, and
# against the floor (scripts/bench/floor.c), on this machine, in one run. Not part of the
# tests. Needs root: every socket and interface fixture lives in a network namespace this
# script makes (bsbench-PID-…) and removes on exit, and every tool runs there (the timer enters
# it with setns, callgrind runs under nsenter --net), so the machine's own ports are untouched. Run it when the machine is otherwise idle: the
# timings are wall-clock.
#
#   bash scripts/bench.sh              # the whole grid (about 6–10 minutes)
#   QUICK=1 bash scripts/bench.sh      # a subset: 2,000/80 and 500/500, 9 rounds (about 1 min)
#   ROUNDS=41 bash scripts/bench.sh    # more rounds for the small cases (default 21)
#   CALLGRIND=0 bash scripts/bench.sh  # without the instruction counts
#
# Each comparison is interleaved (scripts/bench/timing.py): every round runs each command once,
# the order rotating, after warm-up rounds; the table gives the median wall time with the
# interquartile range, the median CPU time (user + system), the peak RSS (GNU time) and the
# ratio to the first row. Results are printed as Markdown and kept in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-0}
ROUNDS=${ROUNDS:-21}
WARMUP=${WARMUP:-3}
CALLGRIND=${CALLGRIND:-1}
[ "$QUICK" = 1 ] && ROUNDS=${QUICK_ROUNDS:-9} && WARMUP=1
# Big cases (10,000+ sockets) run fewer rounds: lsof alone takes a second there.
BIG_ROUNDS=${BIG_ROUNDS:-$(( ROUNDS < 9 ? ROUNDS : 9 ))}
OUT=${OUT:-target/bench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

[ "$(id -u)" = 0 ] || { echo "bench.sh needs root (network namespaces)" >&2; exit 2; }
need=()
for tool in python3 ip ss lsof nsenter taskset; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    echo "missing: ${need[*]} (Debian: apt-get install python3 iproute2 lsof util-linux time)" >&2
    exit 2
fi

cargo build --release --quiet
BIN=$PWD/target/release/bindscope
TIMING="python3 $PWD/scripts/bench/timing.py"
CC=$(command -v cc || command -v gcc || true)
[ -n "$CC" ] || { echo "a C compiler (cc) is needed for the fixture" >&2; exit 2; }
"$CC" -O2 -o "$OUT/holder" scripts/bench/holder.c
FLOOR=""
if "$CC" -O2 -pthread -o "$OUT/floor" scripts/bench/floor.c; then FLOOR="$OUT/floor"; fi
NETSTAT=$(command -v netstat || true)

NS_PREFIX="bsbench-$$"
NAMESPACES=()
HOLDER_PID=""
cleanup() {
    stop_holder
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
stop_holder() {
    if [ -n "$HOLDER_PID" ]; then
        # Its standard input closing ends it and its children (PR_SET_PDEATHSIG too).
        exec 8>&- || true
        for _ in $(seq 50); do kill -0 "$HOLDER_PID" 2>/dev/null || break; sleep 0.1; done
        kill "$HOLDER_PID" 2>/dev/null || true
        wait "$HOLDER_PID" 2>/dev/null || true
        HOLDER_PID=""
    fi
}
trap cleanup EXIT INT TERM

# Makes namespace $NS_PREFIX-$1 (lo up) and names it in $ns.
new_ns() {
    ns="$NS_PREFIX-$1"
    ip netns add "$ns"
    NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
}

# Starts the fixture in namespace $1: $2 listening sockets over $3 processes, $4 idle ones.
start_holder() {
    local ns=$1 fifo="$OUT/holder.fifo"
    rm -f "$fifo" "$OUT/holder.out"
    mkfifo "$fifo"
    ip netns exec "$ns" "$OUT/holder" "$2" "$3" "$4" <"$fifo" >"$OUT/holder.out" &
    HOLDER_PID=$!
    exec 8>"$fifo"
    for _ in $(seq 600); do
        grep -q ready "$OUT/holder.out" 2>/dev/null && return 0
        kill -0 "$HOLDER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the fixture did not start ($2 sockets, $3 processes)" >&2
    exit 1
}

instructions() {
    [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null || { echo "—"; return; }
    # nsenter execs the command: the count that matters is the last process's.
    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n 1 |
        awk '{ printf "%.1f M", $1 / 1e6 }'
}

header() {
    echo
    echo "### $1"
    echo
    echo "| command | wall ms, median (IQR) | CPU ms | peak RSS | ratio |"
    echo "|---|---:|---:|---:|---:|"
}

echo "## Machine"
echo
echo "$(date -u '+%F %H:%M UTC') · $(nproc) cores · $(uname -sr) · $(ls /proc | grep -c '^[0-9]') processes · load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds $ROUNDS (big cases $BIG_ROUNDS), warm-up $WARMUP"

# The grid: listening sockets, processes holding them, idle processes.
if [ "$QUICK" = 1 ]; then
    GRID=("2000 80 0" "500 500 0")
else
    GRID=("500 10 0" "500 500 0" "2000 80 0" "2000 500 0" "10000 500 0" "50000 80 0" "20 20 2000")
fi

echo
echo "## listeners vs ss -ltnp vs lsof vs the floor"
for case in "${GRID[@]}"; do
    read -r sockets processes idle <<<"$case"
    new_ns "s$sockets-p$processes-i$idle"
    start_holder "$ns" "$sockets" "$processes" "$idle"
    IN="nsenter --net=/run/netns/$ns"
    rounds=$ROUNDS
    [ "$sockets" -ge 10000 ] && rounds=$BIG_ROUNDS
    label="$sockets sockets / $processes processes"
    [ "$idle" -gt 0 ] && label="$label + $idle idle"
    header "$label ($(ls /proc | grep -c '^[0-9]') processes on the machine)"
    commands=("$BIN listeners --json" "$BIN listeners" "taskset -c 0 $BIN listeners --json"
        "ss -ltnp" "lsof -nP -iTCP -sTCP:LISTEN")
    [ -n "$NETSTAT" ] && commands+=("$NETSTAT -ltnp")
    [ -n "$FLOOR" ] && commands+=("$FLOOR 1" "$FLOOR $(nproc)")
    args=()
    for c in "${commands[@]}"; do args+=(-- "$c"); done
    $TIMING --netns "$ns" --rounds "$rounds" --warmup "$WARMUP" --timeout 60 "${args[@]}" | tee -a "$OUT/grid.md"
    echo
    echo "instructions (callgrind, user space): listeners --json $(instructions $IN "$BIN" listeners --json)," \
        "listeners $(instructions $IN "$BIN" listeners)"
    if [ "$sockets" -ge 2000 ] && [ "$idle" = 0 ]; then
        # Socket 0 listens on 127.0.0.1:20000; nothing uses 19999.
        header "port P at $label: held (20000) and free (19999)"
        $TIMING --netns "$ns" --rounds "$rounds" --warmup "$WARMUP" \
            -- "$BIN port 20000 --json" -- "ss -ltnp sport = :20000" \
            -- "lsof -nP -i :20000" \
            -- "$BIN port 19999 --json" -- "ss -ltnp sport = :19999" \
            -- "$BIN listeners --json" | tee -a "$OUT/port.md"
    fi
    if [ "$sockets" -ge 50000 ] || [ "$idle" -gt 0 ]; then
        header "explain ports and the overview at $label"
        $TIMING --netns "$ns" --rounds "$rounds" --warmup "$WARMUP" \
            -- "$BIN explain ports" -- "$BIN --json" -- "$BIN" -- "ip -j addr" |
            tee -a "$OUT/explain.md"
    fi
    stop_holder
    ip netns del "$ns"
done

echo
echo "## interfaces --json and the overview vs ip -j addr"
for links in 1 200 1000; do
    new_ns "if$links"
    if [ "$links" -gt 1 ]; then
        # veth pairs (the dummy driver is not in every kernel), one end addressed, all up.
        {
            for n in $(seq 0 $((links / 2 - 1))); do
                echo "link add v${n}a type veth peer name v${n}b"
                echo "addr add 10.203.$((n / 100)).$((2 * (n % 100) + 1))/31 dev v${n}a"
                echo "link set v${n}a up"
                echo "link set v${n}b up"
            done
            echo "route add default via 10.203.0.0 dev v0a"
        } | ip -n "$ns" -batch -
    fi
    IN="nsenter --net=/run/netns/$ns"
    header "$(ip -n "$ns" -o link | wc -l) interfaces"
    $TIMING --netns "$ns" --rounds "$ROUNDS" --warmup "$WARMUP" \
        -- "ip -j addr" -- "$BIN interfaces --json" -- "$BIN" -- "$BIN --json" |
        tee -a "$OUT/interfaces.md"
    echo
    echo "instructions: interfaces --json $(instructions $IN "$BIN" interfaces --json), the overview $(instructions $IN "$BIN")"
    ip netns del "$ns"
done

echo
echo "## start-up"
new_ns "start"
IN="nsenter --net=/run/netns/$ns"
header "an empty namespace"
$TIMING --netns "$ns" --rounds "$ROUNDS" --warmup "$WARMUP" \
    -- "true" -- "$BIN --version" -- "$BIN --json" -- "$BIN expose 0.0.0.0 --json" \
    -- "$BIN explain ports" -- "$BIN --lang ko explain loopback-vs-lan" \
    -- "$BIN urls --json" | tee -a "$OUT/startup.md"
