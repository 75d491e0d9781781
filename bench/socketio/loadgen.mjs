// One load generator for both servers: raw Engine.IO v4 / Socket.IO v5 WebSocket clients (minimal
// client-side work, so the servers rather than the generator are measured).
//   node loadgen.mjs broadcast URL CLIENTS WINDOW SECONDS -> JSON: delivered/s, latency percentiles
//   node loadgen.mjs idle URL LOW HIGH SETTLE_SECONDS      -> JSON: server memory per idle connection
//   node loadgen.mjs idle-bare URL LOW HIGH SETTLE_SECONDS -> the same for plain Kestrel WebSockets (BenchServer only)
import WebSocket from "ws";

const [mode, url, clientsArg, rateArg, secondsArg] = process.argv.slice(2);
const clients = Number(clientsArg ?? 100);
const wsUrl = url.replace(/^http/, "ws").replace(/\/$/, "") + "/socket.io/?EIO=4&transport=websocket";
const now = () => performance.timeOrigin + performance.now();

function connect(onTick) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    ws.on("error", reject);
    ws.on("message", (data, isBinary) => {
      const text = data.toString();
      if (text === "2") ws.send("3");
      else if (text.startsWith('42["tick",')) onTick?.(text);
      else if (text.startsWith("0")) ws.send("40");
      else if (text.startsWith("40")) resolve(ws);
    });
  });
}

async function stats() {
  const response = await fetch(url.replace(/\/$/, "") + "/stats");
  return response.json();
}

if (mode === "idle" || mode === "idle-bare") {
  // Per-connection memory as a slope between two connection counts held by the same server process
  // (so the process's fixed costs cancel), and the older delta-from-zero figure. Each step waits until
  // every connection has answered a server ping (steady state after a heartbeat), then SETTLE seconds.
  // idle-bare: plain WebSockets to the bench server's /bare endpoint (Kestrel only, no Socket.IO), no pings.
  const [low, high] = [clients, Number(rateArg ?? clients * 3)];
  const settle = Number(secondsArg ?? 2);
  const bare = mode === "idle-bare";
  const bareUrl = url.replace(/^http/, "ws").replace(/\/$/, "") + "/bare";
  const pings = [];
  const open = (index) => bare
    ? new Promise((resolve, reject) => { const ws = new WebSocket(bareUrl, { perMessageDeflate: false }); ws.on("error", reject); ws.on("open", () => resolve(ws)); })
    : new Promise((resolve, reject) => {
      pings[index] = 0;
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
      ws.on("error", reject);
      ws.on("message", (data) => {
        const text = data.toString();
        if (text === "2") { ws.send("3"); pings[index]++; }
        else if (text.startsWith("0")) ws.send("40");
        else if (text.startsWith("40")) resolve(ws);
      });
    });
  const sockets = [];
  const grow = async (count) => {
    for (let i = sockets.length; i < count; i += 50)
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => open(i + j)))));
    const waitStart = Date.now();
    while (!bare && pings.some((n) => n === 0)) {
      if (Date.now() - waitStart > 120_000) throw new Error(`${pings.filter((n) => n === 0).length} connections got no ping in 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, settle * 1000));
    return stats();
  };
  const base = await stats();
  const atLow = await grow(low);
  const atHigh = await grow(high);
  const kb = (bytes) => +(bytes / 1024).toFixed(1);
  const slope = (key) => kb((atHigh[key] - atLow[key]) / (high - low));
  const fromZero = (key, at, n) => kb((at[key] - base[key]) / n);
  console.log(JSON.stringify({
    mode, low, high, connections: [atLow.connections, atHigh.connections], pingsAnswered: pings.reduce((a, b) => a + b, 0),
    // KB per connection: the slope between the two counts
    rssPerConnection: slope("rss"), anonPerConnection: slope("anon"), filePerConnection: slope("file"),
    rssAfterGcPerConnection: slope("rssAfterGc"), managedPerConnection: slope("managed"),
    gcCommittedPerConnection: slope("gcCommitted"), gcFragmentedPerConnection: slope("gcFragmented"),
    // KB per connection from the empty server, at each count
    rssFromZero: [fromZero("rss", atLow, low), fromZero("rss", atHigh, high)],
    managedFromZero: [fromZero("managed", atLow, low), fromZero("managed", atHigh, high)],
    stats: { base, atLow, atHigh },
  }));
  sockets.forEach((s) => s.terminate());
  process.exit(0);
}

// Closed loop: the publisher keeps WINDOW broadcasts in flight (sent, not yet seen by the sentinel
// subscriber), so each server runs at the throughput it sustains and the generator's own cost per
// delivered message is the same for both.
const window = Number(rateArg ?? 20);
const seconds = Number(secondsArg ?? 10);
const warmup = 2;
let phase = "warmup";
let received = 0;
let sentinelSeen = 0;
const latencies = new Float64Array(5_000_000);
let samples = 0;
let lastReceive = now();
let publisher;
let sent = 0;
const pad = "x".repeat(100);

function publish() {
  while (phase !== "done" && sent - sentinelSeen < window) {
    publisher.send(`42["publish",{"t":${now()},"m":${phase === "measure" ? 1 : 0},"pad":"${pad}"}]`);
    sent++;
  }
}

const makeOnTick = (sentinel) => (text) => {
  lastReceive = now();
  // '42["tick",{"t":<time>,"m":<0|1>,...' : read the two numbers without a full JSON.parse
  const comma = text.indexOf(",", 15);
  if (text.charCodeAt(comma + 5) === 49 /* "1" */) {
    received++;
    if (samples < latencies.length) latencies[samples++] = lastReceive - Number(text.slice(15, comma));
  }
  if (sentinel) {
    sentinelSeen++;
    publish();
  }
};

const subscribers = [];
for (let i = 0; i < clients; i += 25) subscribers.push(...(await Promise.all(Array.from({ length: Math.min(25, clients - i) }, (_, j) => connect(makeOnTick(i + j === 0))))));
publisher = await connect();
publish();
await new Promise((r) => setTimeout(r, warmup * 1000));
phase = "measure";
const start = now();
await new Promise((r) => setTimeout(r, seconds * 1000));
phase = "done";
const measured = (now() - start) / 1000;
const drainStart = now();
while (now() - lastReceive < 500 && now() - drainStart < 10000) await new Promise((r) => setTimeout(r, 50));

const sorted = latencies.subarray(0, samples).sort();
const pct = (p) => (samples ? sorted[Math.min(samples - 1, Math.floor(p * samples))] : NaN);
console.log(JSON.stringify({
  mode, clients, window, seconds,
  delivered: received,
  deliveredPerSecond: Math.round(received / measured),
  p50: +pct(0.5).toFixed(2), p99: +pct(0.99).toFixed(2), max: +pct(1).toFixed(2),
}));
subscribers.forEach((s) => s.terminate());
publisher.terminate();
process.exit(0);
