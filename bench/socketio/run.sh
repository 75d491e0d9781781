#!/usr/bin/env bash
# Side-by-side broadcast benchmark: Mpm.Monitor.SocketIO (BenchServer) vs the reference Node socket.io
# 4.8 server (server-node.mjs), same load generator (loadgen.mjs), alternating servers for ROUNDS
# rounds, then memory per idle connection. Prints JSON lines and the medians/ratio.
#   ./run.sh [ROUNDS=5] [WINDOW=20 broadcasts in flight] [SECONDS=10] [CLIENTS=100] [IDLE=1000 connections]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-5}; window=${2:-20}; seconds=${3:-10}; clients=${4:-100}; idle=${5:-1000}
[ -d node_modules/socket.io ] || { echo "run npm install in bench/socketio first" >&2; exit 2; }
dotnet build BenchServer -c Release -nologo -v q >/dev/null
mkdir -p results
out="results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
start_server() { # name port -> pid
  if [ "$1" = dotnet ]; then dotnet BenchServer/bin/Release/net10.0/BenchServer.dll "$2" >/dev/null 2>&1 &
  else node --expose-gc server-node.mjs "$2" >/dev/null 2>&1 & fi
  echo $!
}
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
run() { # name mode args...
  local name=$1; shift
  local port; port=$(free_port)
  local pid; pid=$(start_server "$name" "$port")
  wait_port "$port"
  node loadgen.mjs "$1" "http://127.0.0.1:$port" "${@:2}" | sed "s/^{/{\"server\":\"$name\",/" | tee -a "$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="dotnet node"; else order="node dotnet"; fi
  for name in $order; do run "$name" broadcast "$clients" "$window" "$seconds"; done
done
for name in dotnet node; do run "$name" idle "$idle"; done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const b = (server, key) => median(lines.filter((l) => l.server === server && l.mode === "broadcast").map((l) => l[key]));
const summary = {};
for (const server of ["dotnet", "node"]) summary[server] = { deliveredPerSecond: b(server, "deliveredPerSecond"), p50: b(server, "p50"), p99: b(server, "p99") };
summary.ratio = +(summary.dotnet.deliveredPerSecond / summary.node.deliveredPerSecond).toFixed(2);
for (const l of lines.filter((l) => l.mode === "idle")) summary[l.server].idle = { rssPerConnection: l.rssPerConnection, managedPerConnection: l.managedPerConnection };
console.log(JSON.stringify(summary, null, 2));
' "$out" | tee "${out%.jsonl}.summary.json"
