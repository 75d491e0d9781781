// The reference: Node socket.io 4.8 doing the same broadcast as BenchServer. GET /stats reports memory
// the way BenchServer does (resident set as it stands, anonymous vs file-backed, then after a full GC).
// usage: node --expose-gc server-node.mjs PORT [PING_INTERVAL_MS=25000]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 3100);
const pingInterval = Number(process.argv[3] ?? 25000);

function smapsRollup() {
  const text = readFileSync("/proc/self/smaps_rollup", "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)[1]) * 1024;
  return { rss: kb("Rss"), anon: kb("Anonymous") };
}

const http = createServer((req, res) => {
  if (req.url === "/stats") {
    const asIs = smapsRollup();
    global.gc?.();
    const afterGc = smapsRollup();
    const m = process.memoryUsage();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({
      connections: io.engine.clientsCount,
      rss: asIs.rss, anon: asIs.anon, file: asIs.rss - asIs.anon,
      rssAfterGc: afterGc.rss, anonAfterGc: afterGc.anon,
      managed: m.heapUsed + m.external + m.arrayBuffers,
      gcCommitted: m.heapTotal, gcFragmented: m.heapTotal - m.heapUsed,
    }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { transports: ["polling", "websocket"], pingInterval });
io.on("connection", (socket) => {
  socket.on("publish", (payload) => socket.broadcast.emit("tick", payload));
});
http.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
