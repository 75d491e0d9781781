// Drives socket.io-client 2.x (Engine.IO v3, Socket.IO v4) through the same scenario as client-v4.mjs.
// usage: node client-v2.cjs URL polling|websocket|upgrade
const io = require("socket.io-client-v2");
const assert = require("node:assert/strict");

const [url, mode] = process.argv.slice(2);
const transports = { polling: ["polling"], websocket: ["websocket"], upgrade: ["polling", "websocket"] }[mode];
if (!url || !transports) {
  console.error("usage: node client-v2.cjs URL polling|websocket|upgrade");
  process.exit(2);
}
const deadline = setTimeout(() => fail(new Error("timed out after 45 s")), 45_000);

function fail(error) {
  console.error(`FAIL ${mode}: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

function emitWithAck(socket, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${args[0]}`)), 10_000);
    socket.emit(...args, (...reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

async function main() {
  // Legacy clients have no handshake auth: the token travels in the query.
  const socket = io(url, { transports, query: { token: "t-2" }, reconnectionDelay: 100, reconnectionDelayMax: 200, upgrade: mode === "upgrade", forceNew: true });
  const welcome = once(socket, "welcome");
  await once(socket, "connect");
  console.log(`connected over ${socket.io.engine.transport.name}`);
  assert.deepEqual((await welcome)[0], { token: "t-2", protocol: 3 });

  if (mode === "upgrade") {
    if (socket.io.engine.transport.name !== "websocket") await once(socket.io.engine, "upgrade");
    console.log("upgraded to websocket");
  }

  assert.deepEqual(await emitWithAck(socket, "echo", { a: 1, s: "é" }, "x"), [{ a: 1, s: "é" }, "x"]);
  console.log("ack from server ok");

  socket.on("question", (text, callback) => callback(`answer to ${text}`));
  const answerWas = once(socket, "answer-was");
  socket.emit("ask-me");
  assert.deepEqual(await answerWas, ["answer to how many?"]);
  console.log("ack from client ok");

  const [reversed, count] = await emitWithAck(socket, "binary", Buffer.from([1, 2, 3, 250]));
  assert.deepEqual([...reversed], [250, 3, 2, 1]);
  assert.equal(count, 1);
  console.log("binary ok");

  assert.deepEqual(await emitWithAck(socket, "join", "room-2"), [["room-2"]]);
  const roomMessage = once(socket, "room-msg");
  socket.emit("to-room", "room-2", { hi: "room" });
  assert.deepEqual(await roomMessage, [{ hi: "room" }]);
  console.log("rooms ok");

  socket.close();
  clearTimeout(deadline);
  console.log(`PASS ${mode}`);
}

main().catch(fail);
