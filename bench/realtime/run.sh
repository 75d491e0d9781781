#!/usr/bin/env bash
# End to end, POST /api/events -> subscribed Socket.IO client: builds mpm (Release, dashboard skipped),
# runs it on a free loopback port with its store on disk (SQLite, synchronous=FULL) and no collectors,
# then drives e2e.mjs for ROUNDS rounds (a fresh monitor each).
#   ./run.sh [ROUNDS=3] [CLIENTS=50] [RATE=1000] [SECONDS=10]     STORE=memory keeps events in memory instead
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}; clients=${2:-50}; rate=${3:-1000}; seconds=${4:-10}
[ -d node_modules/ws ] || { echo "run npm ci in bench/realtime first" >&2; exit 2; }
work=$(mktemp -d /tmp/mpm-realtime-bench.XXXXXX)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build ../../src/Mpm.Monitor -c Release -p:SkipWebBuild=true -o "$work/bin" -nologo -v q >/dev/null

for round in $(seq 1 "$rounds"); do
  cat > "$work/configuration.yaml" <<YAML
monitoring:
  port: 0
  host: "127.0.0.1"
  websocket:
    max_connections: $((clients + 10))
  metrics:
    enabled: false
  docker:
    enabled: false
  storage:
    path: "$([ "${STORE:-disk}" = memory ] && echo ':memory:' || echo "$work/monitor-$round.db")"
  logging:
    level: WARNING
    file: "$work/mpm.log"
YAML
  HOME="$work" dotnet "$work/bin/mpm.dll" run --monitor --config "$work/configuration.yaml" > "$work/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "listening on" "$work/out.log" && break; sleep 0.1; done
  url=$(grep -o 'http://[^ ]*' "$work/out.log" | head -1)
  node e2e.mjs "$url" "$clients" "$rate" "$seconds"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
