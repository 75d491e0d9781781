#!/usr/bin/env bash
# Runs the official protocol test suites against ConformanceHost on http://localhost:3000 (the
# address the suites are hard-wired to). Fetching the suites is not part of this script: pass the
# directories of their test-suite/ folders, already set up with `npm install` (for the Socket.IO
# suite, `npm install ws@8.16.0`: its pinned ws 8.5.0 client is flaky).
#
#   run-official-suites.sh [--eio4 DIR] [--eio3 DIR] [--sio5 DIR]
#
#   --eio4  engine.io-protocol (main) test-suite/   expects 24 passing
#   --eio3  engine.io-protocol (branch v3) test-suite/   expects 23 passing
#   --sio5  socket.io-protocol test-suite/   expects 32 passing
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
declare -a names=() dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --eio4|--eio3|--sio5)
      [ $# -ge 2 ] || { echo "$1 needs a directory" >&2; exit 2; }
      [ -f "$2/test-suite.js" ] || { echo "$2 has no test-suite.js" >&2; exit 2; }
      [ -d "$2/node_modules" ] || { echo "$2 has no node_modules: run npm install there" >&2; exit 2; }
      names+=("${1#--}"); dirs+=("$(cd "$2" && pwd)"); shift 2 ;;
    *) echo "usage: $0 [--eio4 DIR] [--eio3 DIR] [--sio5 DIR]" >&2; exit 2 ;;
  esac
done
[ ${#names[@]} -gt 0 ] || { echo "usage: $0 [--eio4 DIR] [--eio3 DIR] [--sio5 DIR]" >&2; exit 2; }
command -v node >/dev/null || { echo "install nodejs" >&2; exit 2; }
if (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then
  echo "port 3000 is already in use; the suites need it" >&2; exit 2
fi

dotnet build "$here" -c Release -nologo -v q >/dev/null
dotnet "$here/bin/Release/net10.0/ConformanceHost.dll" --port 3000 &
host=$!
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null && break
  sleep 0.1
done

status=0
for i in "${!names[@]}"; do
  echo "=== ${names[$i]}: ${dirs[$i]}"
  if ! (cd "${dirs[$i]}" && npx --no-install mocha --reporter dot test-suite.js); then
    status=1
  fi
done
exit $status
