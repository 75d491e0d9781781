#!/usr/bin/env bash
# mpm hook wall time against curl posting the same body, monitor up and down (see README.md).
# Needs: hyperfine, curl, python3, the .NET 10 SDK, and Program.Main dispatching `hook` to HookForwarder.Run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/mpm-hook-bench.XXXXXX)"
runs="${RUNS:-40}"
dotnet_version="$(dotnet --version)"

dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -o "$work/jit" >/dev/null
dotnet publish "$here/HookSink" -c Release -o "$work/sink" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up_port="$(free_port)"
down_port="$(free_port)" # nothing listens here
dotnet "$work/sink/HookSink.dll" "$up_port" & sink=$!
trap 'kill "$sink" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -s -o /dev/null -X POST --data-binary '{}' "http://127.0.0.1:$up_port/api/hooks/claude"; do sleep 0.2; done

export HOME="$work/home"   # the spool of these runs goes here, not into the real ~/.mpm
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
echo; echo "monitor up (a warm Kestrel answering 202):"; bench up "$up_port"
echo "inputs spooled although the monitor was up (65 ms deadline missed): $(find "$HOME/.mpm/spool" -name '*.json' 2>/dev/null | wc -l) of $(( (runs + 3) * 2 ))"
rm -rf "$HOME/.mpm"
echo; echo "monitor down (nothing listening; mpm hook spools):"; bench down "$down_port"
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
