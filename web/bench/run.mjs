// Floods the dashboard with events and records how the page copes: frame rate, longest frame gap,
// main-thread busy time, JS heap, DOM size and how far the page lags behind the stream.
// Two sources of events:
//   - default: serves the built dashboard (../dist) with a reference Socket.IO server (npm socket.io)
//     that emits the events itself, so only the page is measured;
//   - --monitor URL: a running `mpm run --monitor` serves the page, and the events are posted to its
//     POST /api/events in small batches, so they go through the real pipeline, store and broadcast.
// Usage (after `npm run build` in web/ and `npm ci` here):
//   node run.mjs [--rate 1000] [--seconds 60] [--view overview|timeline] [--sample 5] [--monitor URL [--token T]]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Server } from "socket.io";
import { chromium } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "60" },
    view: { type: "string", default: "overview" },
    sample: { type: "string", default: "5" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    profile: { type: "boolean", default: false },
    monitor: { type: "string" },
    token: { type: "string" },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const SAMPLE_S = Number(args.sample);
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const MONITOR = args.monitor ? new URL(args.monitor) : undefined;
if (!MONITOR && !fs.existsSync(path.join(DIST, "index.html"))) {
  console.error(`No build in ${DIST}: run "npm ci && npm run build" in web/ first.`);
  process.exit(2);
}
if (!fs.existsSync(args.chromium)) {
  console.error(`No Chromium at ${args.chromium}: apt-get install -y chromium (or pass --chromium PATH).`);
  process.exit(2);
}

// --- the server: static files + the CONTRACT's Socket.IO messages, minimal (not used with --monitor) ---
const MIME = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const httpServer = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/status") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ agents: "healthy", websocket: "healthy", docker: "healthy", storage: "healthy" }));
  }
  let file = path.join(DIST, url.pathname === "/" ? "index.html" : url.pathname);
  if (!file.startsWith(DIST) || !fs.existsSync(file)) file = path.join(DIST, "index.html");
  res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
const io = new Server(httpServer, { path: "/socket.io/" });
let nextId = 1;
io.on("connection", (socket) => {
  socket.on("get_state", (_p, ack) => ack?.({ server: { host: "bench" }, agents: [], sessions: [], recent_events: [], containers: { containers: [] }, system: null, subscribed: ["*"], last_event_id: nextId - 1 }));
  socket.on("subscribe", (p, ack) => ack?.({ subscribed: p?.events ?? [] }));
  socket.on("unsubscribe", (_p, ack) => ack?.({ subscribed: ["*"] }));
});
let base;
if (MONITOR) {
  base = MONITOR.href;
} else {
  await new Promise((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${httpServer.address().port}/`;
}

// --- the event mix: mostly agent and file events over many files, agents and sessions ---
const AGENTS = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
const SESSIONS = Array.from({ length: 6 }, (_, i) => `session-${i}-0000-4000-8000-000000000000`);
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
function event(type, data) {
  // With --monitor the monitor assigns id, timestamp and host; these are dropped when posting.
  return { ...data, id: nextId++, type, timestamp: new Date().toISOString(), host: "bench" };
}
function randomEvent() {
  const r = Math.random();
  const session_id = pick(SESSIONS);
  if (r < 0.4) return event("agent_activity", { session_id, agent: pick(AGENTS), action: pick(["invoked", "completed"]), description: "Implement the feature and its tests" });
  if (r < 0.85) return event("file_operation", { session_id, agent: pick(AGENTS), file: `src/module${Math.floor(Math.random() * 3000)}/file.ts`, operation: pick(["read", "edit", "write"]), size: Math.floor(Math.random() * 1e5) });
  if (r < 0.95) return event("session_update", { session_id, token_usage: Math.floor(Math.random() * 2e5), context_percentage: Math.random(), model: "claude-sonnet-4-5" });
  return event("custom.metric", { value: Math.random() });
}
let netCounter = 0;
function statsEvents() {
  netCounter += 1e6;
  return [
    event("container_stats", { containers: Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`.padEnd(12, "0"), name: `svc-${i}`, image: "local/busybox", status: "running", cpu_percent: Math.random() * 100, memory_usage: Math.random() * 5e8, memory_limit: 1e9 })) }),
    event("system_stats", { cpu_percent: Math.random() * 100, memory_used: 8e9, memory_total: 16e9, disk_used: 1e11, disk_total: 2e11, uptime: 1000, load_avg: { "1m": 1, "5m": 1, "15m": 1 }, network: [{ name: "eth0", bytes_sent: netCounter, bytes_recv: netCounter * 2 }], top_processes: [{ name: "node", pid: 1, cpu: 50, mem: 2 }] }),
  ];
}

// --- where events go: the reference server's broadcast, or the monitor's ingest API ---
/** The newest id the source has published (the monitor's own ids with --monitor). */
let publishedId = 0;
let postFailures = 0;
let accepted = 0;
const pending = [];
let inFlight = 0;
const MAX_IN_FLIGHT = 4;
const BATCH = 250;
const headers = { "content-type": "application/json", ...(args.token ? { authorization: `Bearer ${args.token}` } : {}) };
function publish(e) {
  if (!MONITOR) {
    io.emit(e.type, e);
    publishedId = e.id;
    return;
  }
  const { id: _id, type, timestamp: _t, host: _h, ...data } = e;
  pending.push({ event: type, data });
  flushPosts();
}
function flushPosts() {
  while (pending.length && inFlight < MAX_IN_FLIGHT) {
    const batch = pending.splice(0, BATCH);
    inFlight++;
    fetch(new URL("/api/events", MONITOR), { method: "POST", headers, body: JSON.stringify(batch) })
      .then(async (r) => {
        if (r.status !== 202) throw new Error(`POST /api/events answered ${r.status}: ${await r.text()}`);
        const { ids } = await r.json();
        accepted += ids.length;
        publishedId = Math.max(publishedId, ...ids);
      })
      .catch((err) => {
        if (postFailures++ < 3) console.error(String(err));
      })
      .finally(() => {
        inFlight--;
        flushPosts();
      });
  }
}

// --- the browser ---
const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
if (args.token) await page.addInitScript((t) => localStorage.setItem("mpm.monitor.token", t), args.token);
const problems = [];
page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
await page.addInitScript(() => {
  const w = window;
  w.__bench = { frames: 0, maxGap: 0, longTasks: 0, longTaskMs: 0 };
  let last = performance.now();
  const loop = (t) => {
    w.__bench.frames++;
    w.__bench.maxGap = Math.max(w.__bench.maxGap, t - last);
    last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.__bench.longTasks++;
      w.__bench.longTaskMs += e.duration;
    }
  }).observe({ type: "longtask", buffered: true });
});
await page.goto(`${base}#${args.view}`);
await page.waitForSelector("[data-testid=connection-status][data-state=connected]", { timeout: 15000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const taskDuration = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration").value;

// --- the flood ---
// Owed events follow the clock, not the tick count, so a late timer still sends the full rate.
const TICK_MS = 10;
const floodStart = Date.now();
let sent = 0;
const flood = setInterval(() => {
  const owed = Math.floor((RATE * (Date.now() - floodStart)) / 1000) - sent;
  for (let i = 0; i < owed; i++) publish(randomEvent());
  sent += Math.max(0, owed);
}, TICK_MS);
// The monitor samples the host itself; only the containers (Docker may be off) are posted to it.
const stats = setInterval(() => statsEvents().filter((e) => !MONITOR || e.type === "container_stats").forEach(publish), 1000);

const samples = [];
let lastTask = await taskDuration();
const started = Date.now();
console.log(`rate ${RATE}/s, ${SECONDS}s, view ${args.view}, sampling every ${SAMPLE_S}s, events from ${MONITOR ? `the monitor at ${base}` : "the reference Socket.IO server"}`);
console.log("t(s)  fps  maxGap(ms)  longTasks  mainThreadBusy  heap(MB)  domNodes  lag(events)");
while (Date.now() - started < SECONDS * 1000) {
  await new Promise((r) => setTimeout(r, SAMPLE_S * 1000));
  const sentId = publishedId;
  const s = await page.evaluate(() => {
    const b = window.__bench;
    const out = {
      frames: b.frames,
      maxGap: b.maxGap,
      longTasks: b.longTasks,
      longTaskMs: b.longTaskMs,
      heap: performance.memory?.usedJSHeapSize ?? 0,
      dom: document.getElementsByTagName("*").length,
      // The page's newest event: the count of events it has taken in is shown by its newest row's id.
      newest: Math.max(0, ...[...document.querySelectorAll("[data-testid=timeline-row]")].map((r) => Number(r.dataset.eventId))),
    };
    Object.assign(b, { frames: 0, maxGap: 0, longTasks: 0, longTaskMs: 0 });
    return out;
  });
  const task = await taskDuration();
  const sample = {
    t: Math.round((Date.now() - started) / 1000),
    fps: s.frames / SAMPLE_S,
    maxGapMs: Math.round(s.maxGap),
    longTasks: s.longTasks,
    busy: (task - lastTask) / SAMPLE_S,
    heapMB: s.heap / 1048576,
    dom: s.dom,
    lag: s.newest ? sentId - s.newest : null,
  };
  lastTask = task;
  samples.push(sample);
  console.log(
    `${String(sample.t).padStart(4)}  ${sample.fps.toFixed(0).padStart(3)}  ${String(sample.maxGapMs).padStart(10)}  ${String(sample.longTasks).padStart(9)}  ${(sample.busy * 100).toFixed(0).padStart(13)}%  ${sample.heapMB.toFixed(1).padStart(8)}  ${String(sample.dom).padStart(8)}  ${String(sample.lag ?? "–").padStart(11)}`,
  );
}
if (args.profile) {
  // Where the main thread's time goes: self time per function over a few seconds of flood.
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.start");
  await new Promise((r) => setTimeout(r, 5000));
  const { profile } = await cdp.send("Profiler.stop");
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log("self time over 5 s (ms):");
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${v.toFixed(0).padStart(7)}  ${k}`);
}
clearInterval(flood);
clearInterval(stats);
const steady = samples.slice(1);
const summary = {
  rate: RATE,
  seconds: SECONDS,
  view: args.view,
  source: MONITOR ? "monitor" : "reference socket.io server",
  chromium: browser.version(),
  events_sent: nextId - 1,
  events_per_second_sent: Math.round((nextId - 1) / SECONDS),
  post_failures: postFailures,
  events_accepted_by_monitor: MONITOR ? accepted : undefined,
  load_average: (await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" "),
  fps_min: Math.min(...steady.map((s) => s.fps)),
  fps_avg: steady.reduce((a, s) => a + s.fps, 0) / steady.length,
  max_frame_gap_ms: Math.max(...steady.map((s) => s.maxGapMs)),
  main_thread_busy_avg: steady.reduce((a, s) => a + s.busy, 0) / steady.length,
  heap_mb_first: steady[0]?.heapMB,
  heap_mb_last: steady.at(-1)?.heapMB,
  heap_mb_max: Math.max(...steady.map((s) => s.heapMB)),
  dom_nodes_max: Math.max(...steady.map((s) => s.dom)),
  console_problems: problems.length,
};
console.log(JSON.stringify(summary, null, 2));
if (problems.length) console.log(problems.slice(0, 10).join("\n"));
await browser.close();
io.close();
httpServer.close();
// Posts still in flight would keep the process alive.
process.exit(0);
