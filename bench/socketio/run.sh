#!/usr/bin/env bash
# Side-by-side broadcast benchmark: Mpm.Monitor.SocketIO (BenchServer) vs the reference Node socket.io
# 4.8 server (server-node.mjs), same load generator (loadgen.mjs), alternating servers for ROUNDS
# rounds, then memory per idle connection. Prints JSON lines and the medians/ratio.
#   ./run.sh [ROUNDS=5] [WINDOW=20 broadcasts in flight] [SECONDS=10] [CLIENTS=100] [IDLE_LOW=1000] [IDLE_HIGH=3000] [IDLE_PING_MS=5000] [IDLE_RUNS=3]
# The idle measurement holds IDLE_LOW then IDLE_HIGH idle WebSocket connections on one server and reports the
# slope between them (KB per connection), after every connection has answered a ping (IDLE_PING_MS apart);
# IDLE_RUNS fresh servers each, medians reported. ROUNDS=0 measures only idle memory.
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-5}; window=${2:-20}; seconds=${3:-10}; clients=${4:-100}
idle_low=${5:-1000}; idle_high=${6:-3000}; idle_ping=${7:-5000}; idle_runs=${8:-3}
[ -d node_modules/socket.io ] || { echo "run npm install in bench/socketio first" >&2; exit 2; }
dotnet build BenchServer -c Release -nologo -v q >/dev/null
mkdir -p results
out="results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
start_server() { # name port [ping interval ms] -> pid
  if [ "$1" = node ]; then node --expose-gc server-node.mjs "$2" ${3:-} >/dev/null 2>&1 &
  else dotnet BenchServer/bin/Release/net10.0/BenchServer.dll "$2" ${3:-} >/dev/null 2>&1 & fi
  echo $!
}
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
run() { # name mode args...
  local name=$1; shift
  local port; port=$(free_port)
  local pid; pid=$(start_server "$name" "$port" "$([ "$1" = broadcast ] || echo "$idle_ping")")
  wait_port "$port"
  node loadgen.mjs "$1" "http://127.0.0.1:$port" "${@:2}" | sed "s/^{/{\"server\":\"$name\",/" | tee -a "$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="dotnet node"; else order="node dotnet"; fi
  for name in $order; do run "$name" broadcast "$clients" "$window" "$seconds"; done
done
for _ in $(seq 1 "$idle_runs"); do
  for name in dotnet node; do run "$name" idle "$idle_low" "$idle_high" 2; done
  run kestrel-bare idle-bare "$idle_low" "$idle_high" 2 # the floor: BenchServer's plain Kestrel WebSocket endpoint
done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const b = (server, key) => median(lines.filter((l) => l.server === server && l.mode === "broadcast").map((l) => l[key]));
const summary = {};
if (lines.some((l) => l.mode === "broadcast")) {
  for (const server of ["dotnet", "node"]) summary[server] = { deliveredPerSecond: b(server, "deliveredPerSecond"), p50: b(server, "p50"), p99: b(server, "p99") };
  summary.ratio = +(summary.dotnet.deliveredPerSecond / summary.node.deliveredPerSecond).toFixed(2);
}
// Idle memory: KB per connection, the slope between the two connection counts (medians over the runs).
for (const server of ["dotnet", "node", "kestrel-bare"]) {
  const runs = lines.filter((l) => l.server === server && l.mode.startsWith("idle"));
  if (!runs.length) continue;
  const m = (key) => median(runs.map((l) => l[key]));
  (summary[server] ??= {}).idle = {
    connections: [runs[0].low, runs[0].high], runs: runs.length,
    rss: m("rssPerConnection"), anon: m("anonPerConnection"), managed: m("managedPerConnection"),
    rssPerRun: runs.map((l) => l.rssPerConnection), rssFromZeroAtHigh: median(runs.map((l) => l.rssFromZero[1])),
  };
}
console.log(JSON.stringify(summary, null, 2));
' "$out" | tee "${out%.jsonl}.summary.json"
