#!/usr/bin/env bash
# mpm hook wall time against curl posting the same body, monitor up and down (see README.md).
# "Up" is the real monitor (mpm run --monitor, published ReadyToRun, SQLite store on disk) answering POST /api/hooks/claude.
# Needs: hyperfine, curl, python3, the .NET 10 SDK.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/mpm-hook-bench.XXXXXX)"
runs="${RUNS:-40}"
dotnet_version="$(dotnet --version)"

dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=false -o "$work/jit" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up_port="$(free_port)"
down_port="$(free_port)" # nothing listens here

# The monitor has a HOME of its own (its store, log and spool), apart from the hooks' HOME.
mkdir -p "$work/monitor-home"
cat > "$work/monitor.yaml" <<YAML
monitoring:
  port: $up_port
  host: "127.0.0.1"
  docker:
    enabled: false
  metrics:
    enabled: false
YAML
HOME="$work/monitor-home" "$work/r2r/mpm" run --monitor --config "$work/monitor.yaml" > "$work/monitor.out" 2>&1 & monitor=$!
trap 'kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -qs "listening on" "$work/monitor.out"; do kill -0 "$monitor" || { cat "$work/monitor.out"; exit 1; }; sleep 0.2; done
# Warm the monitor's ingest path, as a running monitor is warm when hooks arrive.
for _ in 1 2 3 4 5; do curl -s -o /dev/null -X POST --data-binary @"$here/body.json" "http://127.0.0.1:$up_port/api/hooks/claude"; done

export HOME="$work/home"   # the spool of these runs goes here, not into the real ~/.mpm
mkdir -p "$HOME"
body="$here/body.json"
curl_cmd() { echo "curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @$body http://127.0.0.1:$1/api/hooks/claude"; }
summary() {
  python3 - "$1" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
curl = next(r for r in results if r["command"] == "curl")["median"]
print(f"| command | median ms | mean ms | min ms | user+sys ms | median / curl |")
print(f"|---|---:|---:|---:|---:|---:|")
for r in results:
    print(f"| {r['command']} | {r['median']*1000:.1f} | {r['mean']*1000:.1f} | {r['min']*1000:.1f} | {(r['user']+r['system'])*1000:.1f} | {r['median']/curl:.1f} |")
PY
}
bench() { # $1 = label, $2 = port
  MPM_MONITOR_URL="http://127.0.0.1:$2" hyperfine -w 3 -r "$runs" -i --export-json "$work/$1.json" \
    -n "mpm hook (ReadyToRun)" "$work/r2r/mpm hook < $body" \
    -n "mpm hook (JIT only)" "$work/jit/mpm hook < $body" \
    -n "curl" "$(curl_cmd "$2")" >/dev/null 2>&1
  summary "$work/$1.json"
}

echo "machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), .NET SDK $dotnet_version, $(date -u +%F), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo; echo "monitor up (the real mpm run --monitor, SQLite on disk):"; bench up "$up_port"
# The hooks' HOME is not the monitor's, so an input that missed the 65 ms deadline stays in the hooks' spool to be counted.
left="$( (find "$HOME/.mpm/spool" -name '*.json' 2>/dev/null || true) | wc -l)"
echo "inputs that missed the 65 ms deadline (spooled although the monitor was up): $left of $(( (runs + 3) * 2 ))"
rm -rf "$HOME/.mpm"
echo; echo "monitor down (nothing listening; mpm hook spools):"; bench down "$down_port"
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
