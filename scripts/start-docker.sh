#!/usr/bin/env bash
# Starts a Docker engine the way this machine allows (no systemd, no registry) and imports
# the local/busybox image the container tests run. Idempotent.
set -euo pipefail
sock=/var/run/docker.sock
ping() { curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }
if ! ping; then
  command -v dockerd >/dev/null || { echo "dockerd missing: apt-get install -y docker.io" >&2; exit 1; }
  mkdir -p /var/log
  # A daemon that died leaves its pid files behind, and a new one refuses to start over them.
  for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then rm -f "$pidfile"; fi
  done
  nohup dockerd --storage-driver=vfs --iptables=false --ip-forward=false --ip-masq=false \
    --bridge=none --host=unix://$sock >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do ping && break; sleep 0.5; done
  ping || { echo "dockerd did not answer on $sock; see /var/log/dockerd.log" >&2; exit 1; }
fi
if ! docker image inspect local/busybox >/dev/null 2>&1; then
  work=$(mktemp -d)
  (cd "$work" && apt-get download busybox-static >/dev/null 2>&1 || cp /var/cache/apt/archives/busybox-static_*.deb . )
  dpkg -x "$work"/busybox-static_*.deb "$work/rootfs"
  ln -sf busybox "$work/rootfs/bin/sh"
  tar -C "$work/rootfs" -c . | docker import - local/busybox >/dev/null
  rm -rf "$work"
fi
echo "docker ready: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
