// Drives socket.io-client 4.8 against the real mpm monitor through one CONTRACT §6 scenario.
// usage: node monitor-v4.mjs URL SCENARIO   (scenarios below; the .NET tests run each)
// Prints "PASS SCENARIO" on success; exits 1 with the reason otherwise.
import assert from "node:assert/strict";
import { connect, fail, monitorEvents, once, post, request, settle, waitFor } from "./monitor-lib.mjs";

const [url, scenario, ...rest] = process.argv.slice(2);

const ev = (event, data = {}) => ({ event, data });
const types = (socket) => monitorEvents(socket).map((r) => r.name);

const scenarios = {
  // Default subscription, subscribe replacing then adding, unsubscribe, "*" with exclusions.
  async subscriptions() {
    const all = await connect(url);
    const some = await connect(url, { transports: ["polling"] });
    const star = await connect(url, { transports: ["polling", "websocket"] });

    assert.deepEqual(await request(some, "subscribe", { events: ["agent_activity"] }), { subscribed: ["agent_activity"] });
    assert.deepEqual(await request(some, "subscribe", { events: ["custom.one"] }), { subscribed: ["agent_activity", "custom.one"] });
    assert.deepEqual(await request(star, "subscribe", { events: ["*"] }), { subscribed: ["*"] });
    assert.deepEqual(await request(star, "unsubscribe", { events: ["file_operation"] }), { subscribed: ["*"], except: ["file_operation"] });

    const batch = [
      ev("agent_activity", { agent: "pm", action: "invoked" }),
      ev("file_operation", { file: "/tmp/a", operation: "read" }),
      ev("custom.one", { n: 1 }),
      ev("custom.two", { n: 2 }),
      ev("session_update", { session_id: "s1", token_usage: 10, context_percentage: 0.1 }),
    ];
    const ids = await post(url, batch);
    await Promise.all([settle(all), settle(some), settle(star)]);
    assert.deepEqual(types(all), batch.map((b) => b.event), "a new connection gets everything");
    assert.deepEqual(monitorEvents(all).map((r) => r.payload.id), ids, "events carry their stored ids, in order");
    assert.deepEqual(types(some), ["agent_activity", "custom.one"]);
    assert.deepEqual(types(star), ["agent_activity", "custom.one", "custom.two", "session_update"]);
    console.log("filtering ok");

    assert.deepEqual(await request(some, "unsubscribe", { events: ["agent_activity"] }), { subscribed: ["custom.one"] });
    assert.deepEqual(await request(star, "subscribe", { events: ["file_operation"] }), { subscribed: ["*"] });
    assert.deepEqual(await request(star, "unsubscribe", { events: ["*"] }), { subscribed: [] });
    assert.deepEqual(await request(star, "subscribe", { events: ["custom.two"] }), { subscribed: ["custom.two"] });
    for (const s of [all, some, star]) s.received.length = 0;
    await post(url, batch);
    await Promise.all([settle(all), settle(some), settle(star)]);
    assert.deepEqual(types(all), batch.map((b) => b.event));
    assert.deepEqual(types(some), ["custom.one"]);
    assert.deepEqual(types(star), ["custom.two"]);
    console.log("changes ok");

    // An explicit subscription to nothing receives nothing.
    assert.deepEqual(await request(some, "unsubscribe", { events: ["custom.one"] }), { subscribed: [] });
    some.received.length = 0;
    await post(url, batch);
    await settle(some);
    assert.deepEqual(types(some), []);
    for (const s of [all, some, star]) s.disconnect();
  },

  // Replies without an acknowledgement come as events of their own.
  async "no-ack"() {
    const socket = await connect(url);
    let reply = once(socket, "subscribed");
    socket.emit("subscribe", { events: ["agent_activity", "custom.x"] });
    assert.deepEqual((await reply)[0], { subscribed: ["agent_activity", "custom.x"] });
    reply = once(socket, "subscribed");
    socket.emit("unsubscribe", { events: ["custom.x"] });
    assert.deepEqual((await reply)[0], { subscribed: ["agent_activity"] });
    reply = once(socket, "state");
    socket.emit("get_state", {});
    const [state] = await reply;
    assert.deepEqual(state.subscribed, ["agent_activity"]);
    assert.equal(typeof state.last_event_id, "number");
    reply = once(socket, "monitor_error");
    socket.emit("subscribe", { events: "agent_activity" });
    assert.equal((await reply)[0].error.code, "invalid_payload");
    reply = once(socket, "monitor_error");
    socket.emit("emit", { event: "custom.x", data: [1] });
    assert.equal((await reply)[0].error.code, "invalid_payload");
    assert.ok(socket.connected);
    socket.disconnect();
  },

  // get_state's shape, with and without since.
  async "get-state"() {
    const socket = await connect(url);
    const ids = await post(url, [
      ev("agent_activity", { agent: "python-engineer", action: "invoked", session_id: "sess-1" }),
      ev("session_update", { session_id: "sess-1", token_usage: 45000, context_percentage: 0.225 }),
      ev("file_operation", { file: "/src/a.py", operation: "edit", session_id: "sess-1" }),
      ev("custom.note", { text: "é ✓" }),
    ]);
    const state = await request(socket, "get_state", {});
    for (const key of ["server", "agents", "sessions", "recent_events", "containers", "system", "subscribed", "last_event_id"])
      assert.ok(key in state, `get_state has ${key}: ${JSON.stringify(state)}`);
    for (const key of ["version", "host", "uptime", "connections", "started_at"])
      assert.ok(key in state.server, `server has ${key}`);
    assert.ok(state.server.connections >= 1);
    assert.ok(!Number.isNaN(Date.parse(state.server.started_at)));
    assert.ok(state.agents.some((a) => a.name === "python-engineer" && a.status === "active" && a.invocations >= 1), JSON.stringify(state.agents));
    const session = state.sessions.find((s) => s.session_id === "sess-1");
    assert.ok(session && session.token_usage === 45000 && session.context_percentage === 0.225, JSON.stringify(state.sessions));
    assert.deepEqual(state.subscribed, ["*"]);
    assert.equal(state.last_event_id, ids.at(-1));
    assert.deepEqual(state.recent_events.slice(-4).map((e) => e.id), ids, "recent events are the newest, oldest first");
    assert.equal(state.recent_events.at(-1).text, "é ✓");
    assert.equal(state.recent_events.at(-1).type, "custom.note");
    assert.ok(Array.isArray(state.containers.containers));
    console.log("shape ok");

    const since = await request(socket, "get_state", { since: ids[1] });
    assert.deepEqual(since.recent_events.map((e) => e.id), ids.slice(2));
    const none = await request(socket, "get_state", { since: ids.at(-1) });
    assert.deepEqual(none.recent_events, []);
    console.log("since ok");

    // recent_events follows the subscriptions; since does not (it is every stored event after ID).
    await request(socket, "subscribe", { events: ["custom.note"] });
    const filtered = await request(socket, "get_state");
    assert.deepEqual(filtered.recent_events.map((e) => e.type), ["custom.note"]);
    assert.deepEqual(filtered.subscribed, ["custom.note"]);
    const after = await request(socket, "get_state", { since: ids[0] });
    assert.deepEqual(after.recent_events.map((e) => e.id), ids.slice(1));
    socket.disconnect();
  },

  // emit publishes a custom event: ack {id}, broadcast to the other clients, stored.
  async emit() {
    const sender = await connect(url);
    const other = await connect(url, { transports: ["polling"] });
    const received = once(other, "custom.hello");
    const reply = await request(sender, "emit", { event: "custom.hello", data: { n: 1, text: "hi" } });
    assert.equal(typeof reply.id, "number", JSON.stringify(reply));
    const [payload] = await received;
    assert.equal(payload.id, reply.id);
    assert.equal(payload.type, "custom.hello");
    assert.equal(payload.n, 1);
    assert.equal(payload.text, "hi");
    assert.equal(typeof payload.host, "string");
    assert.ok(!Number.isNaN(Date.parse(payload.timestamp)));
    const stored = await (await fetch(new URL(`/api/events?since=${reply.id - 1}`, url))).json();
    assert.equal(stored.events[0].id, reply.id);
    // An event that fits in a Socket.IO message but is over max_payload once enveloped.
    const maxPayload = Number(rest[0] ?? 0);
    if (maxPayload > 0) {
      const big = await request(sender, "emit", { event: "custom.big", data: { pad: "x".repeat(maxPayload - 60) } });
      assert.equal(big.error?.code, "payload_too_large", JSON.stringify(big).slice(0, 300));
      assert.ok(sender.connected);
    }
    // A known event type is validated like any other source's.
    const bad = await request(sender, "emit", { event: "session_update", data: { token_usage: "many" } });
    assert.equal(bad.error?.code, "invalid_payload", JSON.stringify(bad));
    sender.disconnect();
    other.disconnect();
  },

  // Every malformed request gets invalid_payload and the connection keeps working.
  async "bad-input"() {
    const socket = await connect(url);
    const id = socket.id;
    let disconnected = false;
    socket.on("disconnect", () => (disconnected = true));
    const bad = [
      ["subscribe"],
      ["subscribe", "garbage"],
      ["subscribe", 42],
      ["subscribe", null],
      ["subscribe", [["agent_activity"]]],
      ["subscribe", {}],
      ["subscribe", { events: "agent_activity" }],
      ["subscribe", { events: [1] }],
      ["subscribe", { events: [null] }],
      ["subscribe", { events: ["1starts_with_digit"] }],
      ["subscribe", { events: ["has space"] }],
      ["subscribe", { events: ["x".repeat(65)] }],
      ["subscribe", { events: ["ok", "bad/name"] }],
      ["unsubscribe", { events: [{}] }],
      ["unsubscribe", "x"],
      ["get_state", { since: -1 }],
      ["get_state", { since: "5" }],
      ["get_state", { since: 1.5 }],
      ["get_state", "garbage"],
      ["get_state", [1]],
      ["emit"],
      ["emit", "garbage"],
      ["emit", { data: {} }],
      ["emit", { event: 5, data: {} }],
      ["emit", { event: "9lives", data: {} }],
      ["emit", { event: "bad name", data: {} }],
      ["emit", { event: "custom.x", data: [1, 2] }],
      ["emit", { event: "custom.x", data: "text" }],
      ["emit", { event: "custom.x", data: 7 }],
      ["emit", { event: "agent_activity", data: { agent: 5, action: "invoked" } }],
    ];
    for (const [event, ...args] of bad) {
      const reply = await request(socket, event, ...args);
      assert.equal(reply?.error?.code, "invalid_payload", `${event} ${JSON.stringify(args)} -> ${JSON.stringify(reply)}`);
      assert.ok(typeof reply.error.message === "string" && reply.error.message.length > 0);
    }
    // Bounded sets: 256 names per request, 1024 per connection.
    const many = await connect(url);
    const names = (from, count) => Array.from({ length: count }, (_, i) => `n${from + i}`);
    assert.equal((await request(many, "subscribe", { events: names(0, 257) })).error?.code, "invalid_payload");
    for (let i = 0; i < 4; i++) assert.equal((await request(many, "subscribe", { events: names(i * 256, 256) })).subscribed.length, (i + 1) * 256);
    const tooMany = await request(many, "subscribe", { events: ["one.more"] });
    assert.equal(tooMany.error?.code, "invalid_payload", JSON.stringify(tooMany).slice(0, 200));
    assert.equal((await request(many, "get_state", { since: 1e15 })).subscribed.length, 1024);
    many.disconnect();

    // The subscription set was not changed by the refused requests.
    assert.deepEqual((await request(socket, "get_state")).subscribed, ["*"]);
    const unchanged = await request(socket, "subscribe", { events: ["custom.after"] });
    assert.deepEqual(unchanged, { subscribed: ["custom.after"] });
    const received = once(socket, "custom.after");
    const ok = await request(socket, "emit", { event: "custom.after", data: {} });
    assert.equal((await received)[0].id, ok.id);
    assert.ok(socket.connected && !disconnected && socket.id === id, "the connection stayed open");
    socket.disconnect();
  },

  // A bad last_event_id is refused at connect time with invalid_payload.
  async "bad-resume"() {
    for (const value of [-1, "abc", 1.5, { x: 1 }]) {
      try {
        const socket = await connect(url, { auth: { last_event_id: value } });
        socket.disconnect();
        throw new Error(`connected with last_event_id ${JSON.stringify(value)}`);
      } catch (e) {
        assert.match(e.message, /connect_error: .*last_event_id.*"code":"invalid_payload"/, e.message);
      }
    }
  },

  // Reconnecting with last_event_id while a publisher keeps posting: ids exactly contiguous.
  async "replay-under-load"() {
    const cycles = Number(rest[0] ?? 4);
    let publishing = true;
    let published = 0;
    const publisher = (async () => {
      let n = 0;
      while (publishing) {
        await post(url, Array.from({ length: 5 }, () => ev(n % 2 ? "custom.load" : "agent_activity", { agent: "load", action: "invoked", n: n++ })));
        published += 5;
      }
    })();
    const seen = [];
    const record = (name, payload) => name === payload?.type && seen.push(payload.id);
    let socket = await connect(url, {}, record);
    for (let i = 0; i < cycles; i++) {
      const target = seen.length + 150;
      await waitFor(() => seen.length >= target, `150 more events (cycle ${i})`);
      socket.disconnect();
      // Let the publisher move on while nobody listens, so the replay has work to do.
      const missed = published + 200;
      await waitFor(() => published >= missed, "the publisher to post while disconnected");
      const transports = i % 2 ? ["polling"] : ["websocket"];
      socket = await connect(url, { transports, auth: { last_event_id: seen.at(-1) } }, record);
    }
    const tail = seen.length + 100;
    await waitFor(() => seen.length >= tail, "events after the last reconnect");
    publishing = false;
    await publisher;
    const { last_event_id: last } = await (await fetch(new URL("/api/events?limit=1", url))).json();
    await waitFor(() => seen.at(-1) === last, `the last event ${last}`);
    for (let i = 1; i < seen.length; i++)
      assert.equal(seen[i], seen[i - 1] + 1, `ids must be contiguous: ...${seen.slice(Math.max(0, i - 3), i + 3)}... at ${i}`);
    console.log(`received ${seen.length} contiguous events ${seen[0]}..${seen.at(-1)} across ${cycles} reconnects`);
    socket.disconnect();
  },

  // A replay far larger than a connection's outgoing queue (1024 packets) arrives whole, over both transports.
  async "replay-large"() {
    const count = Number(rest[0] ?? 5000);
    const first = (await post(url, [ev("custom.start")]))[0];
    for (let sent = 0; sent < count; sent += 1000)
      await post(url, Array.from({ length: Math.min(1000, count - sent) }, (_, i) => ev("custom.bulk", { i: sent + i, pad: "x".repeat(200) })));
    for (const transports of [["websocket"], ["polling"]]) {
      const socket = await connect(url, { transports, auth: { last_event_id: first } });
      await waitFor(() => monitorEvents(socket).length >= count || !socket.connected, `${count} replayed events over ${transports}`);
      assert.ok(socket.connected, `the connection survived the replay over ${transports}`);
      const ids = monitorEvents(socket).map((r) => r.payload.id);
      assert.deepEqual(ids, Array.from({ length: count }, (_, i) => first + 1 + i));
      socket.disconnect();
    }
  },

  // Replays everything stored after the given id, then follows live events (e.g. after a restart).
  async "replay-from"() {
    const after = Number(rest[0]);
    const stored = (await (await fetch(new URL(`/api/events?since=${after}&limit=1000`, url))).json()).events.map((e) => e.id);
    assert.ok(stored.length > 0, "the store holds events after the id");
    const socket = await connect(url, { auth: { last_event_id: after } });
    const [live] = await post(url, [ev("custom.live")]);
    await waitFor(() => monitorEvents(socket).some((r) => r.payload.id === live), "a live event after the replay");
    const ids = monitorEvents(socket).map((r) => r.payload.id);
    assert.deepEqual(ids.slice(0, stored.length), stored, "the stored events come first, in order");
    assert.deepEqual(ids, Array.from({ length: live - after }, (_, i) => after + 1 + i), "then every later event, once");
    console.log(`replayed ${stored.length} events after ${after}, then live ${live}`);
    socket.disconnect();
  },
};

const run = scenarios[scenario];
if (!url || !run) {
  console.error(`usage: node monitor-v4.mjs URL ${Object.keys(scenarios).join("|")}`);
  process.exit(2);
}
run().then(() => {
  console.log(`PASS ${scenario}`);
  // Exit once the disconnects are sent (a polling close goes out asynchronously), at worst after 2 s.
  setTimeout(() => process.exit(0), 2_000).unref();
}, (e) => fail(scenario, e));
