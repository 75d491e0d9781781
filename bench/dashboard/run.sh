#!/usr/bin/env bash
# The dashboard's browser benchmark (web/bench/run.mjs) against a real `mpm run --monitor`:
# starts the monitor (private HOME, SQLite store on disk, Docker off, host sampled every 5 s),
# floods it through POST /api/events and measures the page it serves in Debian's Chromium.
# Usage: bench/dashboard/run.sh [run.mjs arguments, e.g. --rate 1000 --seconds 60 --view overview]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

dotnet build "$root/src/Mpm.Monitor" -c Release -nologo -v quiet >/dev/null
(cd "$root/web/bench" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; })

home=$(mktemp -d /tmp/mpm-dashboard-bench-XXXXXX)
cat >"$home/configuration.yaml" <<'YAML'
monitoring:
  port: 0
  docker:
    enabled: false
  storage:
    path: "~/monitor.db"
  logging:
    level: WARNING
    file: "~/mpm.log"
YAML
HOME="$home" dotnet "$root/src/Mpm.Monitor/bin/Release/net10.0/mpm.dll" run --monitor --config "$home/configuration.yaml" >"$home/stdout" 2>&1 &
mpm=$!
trap 'kill "$mpm" 2>/dev/null; wait "$mpm" 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 600); do
  url=$(sed -n 's/^Mpm Monitor listening on \(http:[^ ]*\)$/\1/p' "$home/stdout")
  [ -n "$url" ] && break
  kill -0 "$mpm" 2>/dev/null || { cat "$home/stdout" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "mpm printed no URL" >&2; exit 1; }
echo "monitor at $url (pid $mpm); $(chromium --version 2>/dev/null); load average $(cut -d' ' -f1-3 /proc/loadavg)"
node "$root/web/bench/run.mjs" --monitor "$url" "$@"
