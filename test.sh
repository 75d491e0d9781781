#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Health]
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

apt_packages=(docker.io busybox-static chromium curl)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "run as root, or install: apt-get install -y ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Vite 7 (the dashboard's build, run by the .NET build) needs Node 20.19+; Debian 12's own nodejs is 18.
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number);console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "Node.js 20.19 or newer is required (found: $(node --version 2>/dev/null || echo none)); install it from nodejs.org or NodeSource." >&2
  exit 1
fi

log "starting the Docker engine"
scripts/start-docker.sh

log "installing the JavaScript clients used by the interop and browser tests"
(cd tests/interop && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0

log "dashboard unit tests"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm test) 2>&1 | tee "$results/web.log" || status=1

log "building"
dotnet build Mpm.Monitor.sln -c Release -nologo -v quiet

log "testing"
dotnet test Mpm.Monitor.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=1

# One closing line that counts every project's results.
python3 - "$results" <<'PY' || true
import sys, glob, re, xml.etree.ElementTree as ET
passed = failed = skipped = 0
web = open(sys.argv[1] + "/web.log").read()
passed += sum(int(n) for n in re.findall(r"^# pass (\d+)$", web, re.M))
failed += sum(int(n) for n in re.findall(r"^# fail (\d+)$", web, re.M))
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
