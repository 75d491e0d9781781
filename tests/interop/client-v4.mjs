// Drives socket.io-client 4.8 (Engine.IO v4, Socket.IO v5) through the scenario the .NET interop
// tests set up on the server (tests/Mpm.Monitor.SocketIO.Tests/InteropServer.cs).
// usage: node client-v4.mjs URL polling|websocket|upgrade
// Prints progress lines and "PASS <mode>" on success; exits 1 with the reason otherwise.
import { io } from "socket.io-client";
import assert from "node:assert/strict";

const [url, mode] = process.argv.slice(2);
const transports = { polling: ["polling"], websocket: ["websocket"], upgrade: ["polling", "websocket"] }[mode];
if (!url || !transports) {
  console.error("usage: node client-v4.mjs URL polling|websocket|upgrade");
  process.exit(2);
}
const deadline = setTimeout(() => fail(new Error("timed out after 45 s")), 45_000);

function fail(error) {
  console.error(`FAIL ${mode}: ${error?.stack ?? error}`);
  process.exit(1);
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

// Resolves with every argument of the acknowledgement (emitWithAck would keep only the first).
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
  const socket = io(url, { transports, auth: { token: "t-4" }, reconnectionDelay: 100, reconnectionDelayMax: 200, upgrade: mode === "upgrade" });
  const welcome = once(socket, "welcome");
  await once(socket, "connect");
  console.log(`connected over ${socket.io.engine.transport.name}`);

  const [hello] = await welcome;
  assert.deepEqual(hello, { token: "t-4", protocol: 4 });

  if (mode === "upgrade") {
    if (socket.io.engine.transport.name !== "websocket") await once(socket.io.engine, "upgrade");
    assert.equal(socket.io.engine.transport.name, "websocket");
    console.log("upgraded to websocket");
  }

  // client -> server event with ack
  const echoed = await emitWithAck(socket, "echo", { a: 1, s: "é" }, [true, null], "x");
  assert.deepEqual(echoed, [{ a: 1, s: "é" }, [true, null], "x"]);
  console.log("ack from server ok");

  // server -> client event with ack
  socket.on("question", (text, callback) => callback(`answer to ${text}`));
  const answerWas = once(socket, "answer-was");
  socket.emit("ask-me");
  assert.deepEqual(await answerWas, ["answer to how many?"]);
  console.log("ack from client ok");

  // binary both ways
  const [reversed, count] = await emitWithAck(socket, "binary", Buffer.from([1, 2, 3, 250]));
  assert.deepEqual([...reversed], [250, 3, 2, 1]);
  assert.equal(count, 1);
  console.log("binary ok");

  // rooms
  assert.deepEqual(await emitWithAck(socket, "join", "room-1"), [["room-1"]]);
  const roomMessage = once(socket, "room-msg");
  socket.emit("to-room", "room-1", { hi: "room" });
  assert.deepEqual(await roomMessage, [{ hi: "room" }]);
  console.log("rooms ok");

  // reconnect after the connection drops: a throwing handler makes the server close it
  const reconnected = once(socket, "connect");
  const disconnected = once(socket, "disconnect");
  socket.emit("crash");
  const [reason] = await disconnected;
  assert.ok(["transport close", "transport error"].includes(reason), `unexpected disconnect reason ${reason}`);
  await reconnected;
  const again = await emitWithAck(socket, "echo", "again");
  assert.deepEqual(again, ["again"]);
  console.log("reconnect ok");

  socket.disconnect();
  clearTimeout(deadline);
  console.log(`PASS ${mode}`);
}

main().catch(fail);
