#!/usr/bin/env bash
# Windows under Wine: the lib tests and a smoke run of the built binary, loopback only.
#
# Needs Debian's gcc-mingw-w64-x86-64, wine and wine64 (.ci/run installs them). Rust's std
# imports ProcessPrng from bcryptprimitives.dll, which Wine 8 lacks, so a stand-in built here
# from bcryptprimitives.c goes into a fresh prefix's system32 before anything runs. Wine 8
# reports pid 0 for every socket and E_NOTIMPL for the firewall API, and its adapters carry
# Linux names: the smoke checks what Wine can show, the rest is unit-tested from fixtures.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=x86_64-pc-windows-gnu
started=$(date +%s)

export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono or Gecko installer prompts
WINEPREFIX=$(mktemp -d /tmp/bindscope-wine.XXXXXX)
export WINEPREFIX
holder=""
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
    wineserver -k 2>/dev/null || true
    rm -rf "$WINEPREFIX"
}
trap cleanup EXIT

wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -s -Wl,--kill-at -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    ci/wine/bcryptprimitives.c -ladvapi32
echo "wine prefix ready in $(($(date +%s) - started)) s"

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
cargo test --lib --target "$target"

cargo build --target "$target"
exe="target/$target/debug/bindscope.exe"

fail=0
# Runs bindscope.exe under Wine; fails the step if the exit code is not one of the allowed.
run() {
    local allowed=$1
    shift
    local code=0
    wine "$exe" "$@" >/tmp/bindscope-wine.out 2>/tmp/bindscope-wine.err </dev/null || code=$?
    if [[ " $allowed " != *" $code "* ]]; then
        echo "FAIL: bindscope $* exited $code (expected $allowed)"
        sed 's/^/  stdout: /' /tmp/bindscope-wine.out | head -20
        sed 's/^/  stderr: /' /tmp/bindscope-wine.err | head -20
        fail=$((fail + 1))
        return 1
    fi
    echo "ok: bindscope $* (exit $code)"
}
# Checks the last run's stdout with a Python expression over `out` (text) and `j` (JSON or None).
check() {
    if ! python3 - "$1" <<'PY'; then
import json, sys
out = open("/tmp/bindscope-wine.out", encoding="utf-8").read()
try:
    j = json.loads(out)
except ValueError:
    j = None
sys.exit(0 if eval(sys.argv[1]) else 1)
PY
        echo "FAIL: check $1"
        head -20 /tmp/bindscope-wine.out | sed 's/^/  stdout: /'
        fail=$((fail + 1))
    fi
}

# A holder on 127.0.0.1, started by this script (a Linux process: Wine's socket table is the
# kernel's, and Wine 8 gives its sockets pid 0).
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(300)
' >/tmp/bindscope-wine.port &
holder=$!
for _ in $(seq 50); do [ -s /tmp/bindscope-wine.port ] && break; sleep 0.1; done
port=$(cat /tmp/bindscope-wine.port)
echo "holder on 127.0.0.1:$port (pid $holder)"

run "0" interfaces --json && check 'j["schema"] == 1 and any(a["ip"] == "127.0.0.1" for i in j["interfaces"] for a in i["addresses"])'
run "0 1" urls && check '"127.0.0.1" in out or "localhost" in out'
run "0" expose 0.0.0.0 --json && check 'j["bind"]["host"] == "0.0.0.0" and any(l["ip"] == "127.0.0.1" for l in j["listens_on"])'
# Windows' IPv6 sockets are v6-only: `::` listens on no IPv4 address.
run "0" expose :: --json && check 'not any("." in l["ip"] for l in j["listens_on"])'
run "0 1" listeners --json && check 'any(l["port"] == '"$port"' and l["ip"] == "127.0.0.1" for l in j["listeners"])'
run "1" port "$port" --json && check 'any(s["port"] == '"$port"' for s in j["sockets"]) and not next(b for b in j["bind_test"] if b["host"] == "127.0.0.1")["ok"]'
run "1" port "$port" && check 'str('"$port"') in out'
# pid 0 (Wine 8 gives it to every socket) is no owner: never shown as one.
run "1" port "$port" --json && check 'all(p["pid"] not in (0, 4) for s in j["sockets"] for p in s["processes"])'
run "0" free --count 3 && check 'len(out.split()) == 3 and all(w.isdigit() for w in out.split())'
run "0" explain --lang ko && check '"ports" in out'
run "0" explain ports --lang ko && check 'any("\uac00" <= c <= "\ud7a3" for c in out)'
# Windows' own words: its commands, not Unix ones.
run "0" explain ports && check '"taskkill /PID" in out and "netstat -ano" in out and "sudo" not in out'
# --kill on Windows: its one step is final; pid 0 (every socket's owner under Wine 8) is never a
# target, so nothing is terminated and the holder (this script's) is left alone.
run "1" port "$port" --kill --yes --json && check 'j["kill"]["first_step_final"] and not j["kill"]["targets"] and j["kill"]["verdict"] == "nothing_sent"'
run "0" --help && check '"Usage" in out'

elapsed=$(($(date +%s) - started))
echo "Windows step under Wine: $elapsed s, $fail failed"
[ "$fail" -eq 0 ]
