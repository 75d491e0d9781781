#!/usr/bin/env bash
# Runs the ingest benchmark side by side: every mode of the same Kestrel in turn, for several rounds
# (the order rotates each round), then prints each mode's median events/s and the ratios.
# Usage: bench/pipeline/run.sh [seconds=15] [connections=16] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-15}
connections=${2:-16}
rounds=${3:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
dotnet build -c Release -nologo -v q . >/dev/null
bin=bin/Release/net10.0/PipelineBench.dll
work=$(mktemp -d)
mkdir -p results
out="results/$(date -u +%Y%m%dT%H%M%SZ)-c$connections.tsv"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

run() { # mode -> appends "mode events/s p50 p99" to $out
  local mode=$1 args=$1
  [ "$mode" = pipeline ] && { rm -f "$work"/bench.db*; args="pipeline $work/bench.db"; }
  BENCH_URL=http://127.0.0.1:5099 dotnet "$bin" $args >"$work/server.out" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.2; done
  wrk -t2 -c"$connections" -d5s -s post-batch.lua http://127.0.0.1:5099/api/events >/dev/null  # warm-up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s post-batch.lua http://127.0.0.1:5099/api/events >"$work/wrk.out"
  kill -TERM $server; wait $server || true
  local rate p50 p99
  rate=$(awk '/^events\/s:/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  printf '%s\t%s\t%s\t%s\n' "$mode" "$rate" "$p50" "$p99" | tee -a "$out"
}

modes=(drain bare nostore pipeline)
for round in $(seq 1 "$rounds"); do
  echo "== round $round ($(uptime | sed 's/.*load/load/'))"
  for i in "${!modes[@]}"; do run "${modes[$(( (i + round - 1) % ${#modes[@]} ))]}"; done
done

awk -F'\t' '
  { rates[$1] = rates[$1] " " $2 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (m in rates) med[m] = median(rates[m])
    printf "median events/s: drain %d, bare %d, nostore %d, pipeline %d\n", med["drain"], med["bare"], med["nostore"], med["pipeline"]
    printf "pipeline / nostore = %.2f, pipeline / bare = %.2f\n", med["pipeline"] / med["nostore"], med["pipeline"] / med["bare"]
  }' "$out" | tee "${out%.tsv}.summary.txt"
