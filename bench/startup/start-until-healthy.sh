#!/usr/bin/env bash
# Measures start-up: from launching `mpm run --monitor` to the first 200 from GET /health.
# Usage: bench/startup/start-until-healthy.sh [MPM_COMMAND...]   (default: a fresh Release publish)
# Prints one line per run (ms) and the median. Needs curl.
set -euo pipefail
runs=${RUNS:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then
  dotnet publish "$here/../../src/Mpm.Monitor" -c Release -o "$work/publish" -nologo -v q >/dev/null
  set -- "$work/publish/mpm"
fi
cat > "$work/configuration.yaml" <<YAML
monitoring:
  port: 0
  docker: { enabled: false }
  storage: { path: ":memory:" }
  logging: { file: "$work/logs/mpm.log" }
YAML
times=()
for _ in $(seq 1 "$runs"); do
  : > "$work/out"
  start=$(date +%s%N)
  "$@" run --monitor --config "$work/configuration.yaml" > "$work/out" 2>/dev/null &
  pid=$!
  url=""
  until [ -n "$url" ] && curl -sf "${url}health" >/dev/null 2>&1; do
    url=$(sed -n 's/^Mpm Monitor listening on //p' "$work/out")
    sleep 0.005
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms"); echo "$ms ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, min %d ms, max %d ms over %d runs\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
