// The reference: Node socket.io 4.8 doing the same broadcast as BenchServer.
// usage: node --expose-gc server-node.mjs PORT
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 3100);
const http = createServer((req, res) => {
  if (req.url === "/stats") {
    global.gc?.();
    const m = process.memoryUsage();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ rss: m.rss, managed: m.heapUsed + m.external + m.arrayBuffers, connections: io.engine.clientsCount }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { transports: ["polling", "websocket"] });
io.on("connection", (socket) => {
  socket.on("publish", (payload) => socket.broadcast.emit("tick", payload));
});
http.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
