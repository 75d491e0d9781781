#!/usr/bin/env bash
# mpm hook wall time against curl posting the same body, monitor up and down (see README.md).
# Needs: hyperfine, curl, the .NET 10 SDK, and Program.Main dispatching `hook` to HookForwarder.Run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/mpm-hook-bench.XXXXXX)"
runs="${RUNS:-40}"

dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
dotnet publish "$repo/src/Mpm.Monitor" -c Release -r linux-x64 --self-contained false -o "$work/jit" >/dev/null
dotnet publish "$here/HookSink" -c Release -o "$work/sink" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up_port="$(free_port)"
down_port="$(free_port)" # nothing listens here
dotnet "$work/sink/HookSink.dll" "$up_port" & sink=$!
trap 'kill "$sink" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -s -o /dev/null -X POST --data-binary '{}' "http://127.0.0.1:$up_port/api/hooks/claude"; do sleep 0.2; done

export HOME="$work/home"   # the spool of the "down" runs goes here, not into the real ~/.mpm
body="$here/body.json"
curl_cmd() { echo "curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @$body http://127.0.0.1:$1/api/hooks/claude"; }

echo "== machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== monitor up"
MPM_MONITOR_URL="http://127.0.0.1:$up_port" hyperfine -w 3 -r "$runs" --export-markdown "$work/up.md" \
  -n "mpm hook (R2R)" "$work/r2r/mpm hook < $body" \
  -n "mpm hook (R2R, TieredPGO off)" "DOTNET_TieredPGO=0 $work/r2r/mpm hook < $body" \
  -n "mpm hook (JIT)" "$work/jit/mpm hook < $body" \
  -n "curl" "$(curl_cmd "$up_port")"
cat "$work/up.md"
echo "inputs spooled although the monitor was up (deadline missed): $(ls "$HOME/.mpm/spool" 2>/dev/null | wc -l)"
rm -rf "$HOME/.mpm"
echo "== monitor down"
MPM_MONITOR_URL="http://127.0.0.1:$down_port" hyperfine -w 3 -r "$runs" -i --export-markdown "$work/down.md" \
  -n "mpm hook (R2R)" "$work/r2r/mpm hook < $body" \
  -n "mpm hook (R2R, TieredPGO off)" "DOTNET_TieredPGO=0 $work/r2r/mpm hook < $body" \
  -n "mpm hook (JIT)" "$work/jit/mpm hook < $body" \
  -n "curl" "$(curl_cmd "$down_port")"
cat "$work/down.md"
echo "== start-up floor: mpm hook with empty stdin (no network, no spool; R2R)"
hyperfine -w 3 -r "$runs" "$work/r2r/mpm hook < /dev/null" | grep -E "Time|Range"
