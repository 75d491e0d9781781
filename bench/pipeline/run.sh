#!/usr/bin/env bash
# Runs the ingest benchmark side by side: the bare endpoint, then the real pipeline on disk.
# Usage: bench/pipeline/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
connections=${2:-16}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
dotnet build -c Release -nologo -v q . >/dev/null
bin=bin/Release/net10.0/PipelineBench.dll
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

run() {
  BENCH_URL=http://127.0.0.1:5099 dotnet "$bin" "$@" >"$work/server.out" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.2; done
  wrk -t2 -c"$connections" -d5s -s post-batch.lua http://127.0.0.1:5099/api/events >/dev/null  # warm-up
  echo "== $*"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s post-batch.lua http://127.0.0.1:5099/api/events
  kill -TERM $server; wait $server || true
}

run drain
run bare
run nostore
run pipeline "$work/bench.db"
