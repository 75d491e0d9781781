// End-to-end latency of the real mpm: one publisher POSTs single events to /api/events at a fixed
// rate (open loop); CLIENTS Socket.IO clients, each subscribed to the benchmark's event type through
// the monitor's own `subscribe`, time each event from just before its POST to its arrival.
// The clients (raw Engine.IO v4 / Socket.IO v5 over WebSocket, minimal parsing) run in worker
// threads so the publisher's timing is not held up by their parsing; all share one wall clock
// (performance.timeOrigin + performance.now()).
//   node e2e.mjs URL [CLIENTS=50] [RATE=1000 events/s] [SECONDS=10] [WORKERS=2] -> one JSON line
import http from "node:http";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import WebSocket from "ws";

const now = () => performance.timeOrigin + performance.now();
const warmup = 2;

if (!isMainThread) {
  // Receiver: opens its share of the clients, records latencies of events posted in the measured window.
  const { wsUrl, count } = workerData;
  let measureFrom = Infinity;
  let measureTo = Infinity;
  const latencies = [];
  const connect = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
      ws.on("error", reject);
      ws.on("message", (data) => {
        const text = data.toString();
        if (text === "2") ws.send("3");
        else if (text.startsWith('42["bench.tick",')) {
          const sentAt = Number.parseFloat(text.slice(text.indexOf('"t":') + 4));
          if (sentAt >= measureFrom && sentAt < measureTo) latencies.push(now() - sentAt);
        } else if (text.startsWith("0{")) ws.send("40");
        else if (text.startsWith("40")) ws.send('421["subscribe",{"events":["bench.tick"]}]');
        else if (text.startsWith("431[")) resolve(ws);
      });
    });
  const sockets = [];
  for (let i = 0; i < count; i += 10) sockets.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, connect))));
  parentPort.on("message", (message) => {
    if (message.window) [measureFrom, measureTo] = message.window;
    if (message.report) {
      parentPort.postMessage({ latencies: Float64Array.from(latencies) });
      sockets.forEach((s) => s.terminate());
    }
  });
  parentPort.postMessage({ ready: true });
} else {
  const [url, clientsArg, rateArg, secondsArg, workersArg] = process.argv.slice(2);
  const clients = Number(clientsArg ?? 50);
  const rate = Number(rateArg ?? 1000);
  const seconds = Number(secondsArg ?? 10);
  const workerCount = Math.min(clients, Number(workersArg ?? 2));
  const base = new URL(url);
  const wsUrl = `ws://${base.host}/socket.io/?EIO=4&transport=websocket`;

  const workers = [];
  for (let i = 0; i < workerCount; i++) {
    const count = Math.floor(clients / workerCount) + (i < clients % workerCount ? 1 : 0);
    const worker = new Worker(new URL(import.meta.url), { workerData: { wsUrl, count } });
    await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    workers.push(worker);
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const postLatencies = [];
  const failures = [];
  let measuring = false;
  let measuredPosts = 0;
  let from = Infinity;
  let to = Infinity;
  const post = (n) => {
    const start = now();
    if (start >= from && start < to) measuredPosts++; // the receivers' window, by the same stamp
    const body = JSON.stringify({ event: "bench.tick", data: { n, pad: "x".repeat(100), t: start } });
    const request = http.request(
      { host: base.hostname, port: base.port, path: "/api/events", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode !== 202) failures.push(`POST answered ${response.statusCode}`);
          else if (measuring) postLatencies.push(now() - start);
        });
      },
    );
    request.on("error", (e) => failures.push(e.message));
    request.end(body);
  };

  // Open loop: every 5 ms, post the events due by now, so the offered rate does not bend to latency.
  const started = now();
  from = started + warmup * 1000;
  to = from + seconds * 1000;
  workers.forEach((w) => w.postMessage({ window: [from, to] }));
  let posted = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const t = now();
      if (t >= to) {
        clearInterval(timer);
        resolve();
        return;
      }
      measuring = t >= from;
      const due = Math.floor(((t - started) / 1000) * rate);
      for (; posted < due; posted++) post(posted);
    }, 5);
  });
  measuring = false;
  await new Promise((r) => setTimeout(r, 1500)); // the last events arrive
  const reports = await Promise.all(workers.map((w) => new Promise((resolve) => {
    w.once("message", (m) => resolve(m.latencies));
    w.postMessage({ report: true });
  })));
  const sorted = Float64Array.from(reports.flatMap((r) => [...r])).sort();
  const posts = Float64Array.from(postLatencies).sort();
  const pct = (xs, p) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] * 100) / 100 : null);
  console.log(JSON.stringify({
    clients, rate, seconds,
    events_posted: measuredPosts,
    deliveries_expected: measuredPosts * clients,
    deliveries: sorted.length,
    post_failures: failures.length,
    e2e_ms: { p50: pct(sorted, 50), p90: pct(sorted, 90), p99: pct(sorted, 99), p999: pct(sorted, 99.9), max: pct(sorted, 100) },
    post_ms: { p50: pct(posts, 50), p99: pct(posts, 99) },
  }));
  agent.destroy();
  await Promise.all(workers.map((w) => w.terminate()));
  process.exit(failures.length ? 1 : 0);
}
