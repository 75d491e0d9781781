// Shared helpers for the scripts that drive the real mpm monitor (tests/Mpm.Monitor.Tests/Realtime).
import { io } from "socket.io-client";

export const TIMEOUT_MS = 20_000;

export function fail(label, error) {
  console.error(`FAIL ${label}: ${error?.stack ?? error}`);
  process.exit(1);
}

export function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
  ]);
}

export function once(emitter, event) {
  return withTimeout(new Promise((resolve) => emitter.once(event, (...args) => resolve(args))), `'${event}'`);
}

/** Emits with an acknowledgement callback; resolves with the first reply argument. */
export function request(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (reply) => resolve(reply))), `the ack of '${event}'`);
}

/**
 * Connects and records every event the server sends, in arrival order (listening before the
 * connection opens: a replay arrives right behind CONNECT); `onEvent` sees each one too.
 */
export async function connect(url, options = {}, onEvent = undefined) {
  const socket = io(url, { forceNew: true, reconnection: false, transports: ["websocket"], ...options });
  socket.received = [];
  socket.onAny((name, payload) => {
    socket.received.push({ name, payload });
    onEvent?.(name, payload);
  });
  const [outcome] = await withTimeout(
    new Promise((resolve) => {
      socket.once("connect", () => resolve(["connect"]));
      socket.once("connect_error", (e) => resolve([e]));
    }),
    "the connection",
  );
  if (outcome !== "connect") throw new Error(`connect_error: ${outcome.message} ${JSON.stringify(outcome.data ?? null)}`);
  return socket;
}

/** Posts events over HTTP; resolves with the stored ids once the monitor answered 202. */
export async function post(url, events) {
  const response = await fetch(new URL("/api/events", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`POST /api/events: ${response.status} ${JSON.stringify(body)}`);
  return body.ids;
}

/** Events named like monitor events (not replies such as `subscribed` or `state`). */
export function monitorEvents(socket) {
  return socket.received.filter((r) => r.payload && typeof r.payload === "object" && typeof r.payload.id === "number" && r.payload.type === r.name);
}

/** Waits until every broadcast queued before now reached the client: an acknowledged round trip. */
export async function settle(socket) {
  await request(socket, "get_state", { since: 1e15 });
}

export async function waitFor(condition, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
