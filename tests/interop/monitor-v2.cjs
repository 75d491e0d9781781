// Drives socket.io-client 2.x (Engine.IO v3) against the real mpm monitor: live events, subscribe,
// get_state, and a replay requested with the last_event_id query parameter (v3 has no auth).
// usage: node monitor-v2.cjs URL polling|websocket
const io = require("socket.io-client-v2");
const assert = require("node:assert/strict");

const [url, mode] = process.argv.slice(2);
const transports = { polling: ["polling"], websocket: ["websocket"] }[mode];
if (!url || !transports) {
  console.error("usage: node monitor-v2.cjs URL polling|websocket");
  process.exit(2);
}
const deadline = setTimeout(() => fail(new Error("timed out after 60 s")), 60_000);

function fail(error) {
  console.error(`FAIL v2 ${mode}: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}

function request(socket, event, payload) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 20_000);
    socket.emit(event, payload, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

async function post(events) {
  const response = await fetch(new URL("/api/events", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
  const body = await response.json();
  assert.equal(response.status, 202, JSON.stringify(body));
  return body.ids;
}

function connect(query) {
  const socket = io(url, { transports, query, forceNew: true, reconnection: false });
  socket.received = [];
  // 2.x has no onAny: listen to the names this script publishes.
  for (const name of ["agent_activity", "custom.legacy", "file_operation"])
    socket.on(name, (payload) => socket.received.push({ name, payload }));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("error", (e) => reject(new Error(`connect error: ${JSON.stringify(e)}`)));
    socket.once("connect_error", (e) => reject(e));
  });
}

async function waitFor(condition, what) {
  const until = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main() {
  const first = await connect({});
  const ids = await post([
    { event: "agent_activity", data: { agent: "pm", action: "prompt" } },
    { event: "custom.legacy", data: { n: 1 } },
  ]);
  await waitFor(() => first.received.length === 2, "two live events");
  assert.deepEqual(first.received.map((r) => r.payload.id), ids);
  assert.deepEqual(await request(first, "subscribe", { events: ["custom.legacy"] }), { subscribed: ["custom.legacy"] });
  const state = await request(first, "get_state", {});
  assert.equal(state.last_event_id, ids[1]);
  assert.deepEqual(state.subscribed, ["custom.legacy"]);
  const bad = await request(first, "subscribe", { events: [7] });
  assert.equal(bad.error.code, "invalid_payload");
  const more = await post([
    { event: "agent_activity", data: { agent: "pm", action: "prompt" } },
    { event: "custom.legacy", data: { n: 2 } },
  ]);
  await waitFor(() => first.received.length === 3, "the subscribed event");
  assert.equal(first.received[2].payload.id, more[1]);
  console.log("live and subscribe ok");
  first.disconnect();

  // Resume after the first event: everything stored after it arrives, in order, then live events.
  const resumed = await connect({ last_event_id: String(ids[0]) });
  await waitFor(() => resumed.received.length >= 3, "the replay");
  assert.deepEqual(resumed.received.map((r) => r.payload.id), [ids[1], ...more]);
  const [live] = await post([{ event: "file_operation", data: { file: "/x", operation: "read" } }]);
  await waitFor(() => resumed.received.length === 4, "a live event after the replay");
  assert.equal(resumed.received[3].payload.id, live);
  console.log("replay ok");

  // A bad last_event_id is refused.
  const refused = io(url, { transports, query: { last_event_id: "-3" }, forceNew: true, reconnection: false });
  const [error] = await new Promise((resolve) => refused.once("error", (...args) => resolve(args)));
  assert.match(String(error), /last_event_id/);
  refused.close();
  resumed.disconnect();
  clearTimeout(deadline);
  console.log(`PASS v2 ${mode}`);
  setTimeout(() => process.exit(0), 2_000).unref();
}

main().catch(fail);
