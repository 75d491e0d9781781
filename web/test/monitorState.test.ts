import { test } from "node:test";
import assert from "node:assert/strict";
import { MonitorState } from "../src/monitorState";
import type { MonitorEvent } from "../src/types";

let nextId = 1;
function ev(type: string, data: Record<string, unknown>, timestamp = new Date(Date.UTC(2025, 10, 15, 10, 0, nextId)).toISOString()): MonitorEvent {
  return { id: nextId++, type, timestamp, host: "h", ...data };
}

/** A clock a little after the events' times, so agents seen in them are recent. */
const soon = () => Date.UTC(2025, 10, 15, 10, 1, 0);

test("agent_activity counts invocations and tracks status and task", () => {
  const s = new MonitorState(soon);
  s.apply(ev("agent_activity", { agent: "qa", action: "invoked", description: "Write tests", session_id: "s1" }));
  let qa = s.agents.get("qa")!;
  assert.equal(qa.invocations, 1);
  assert.equal(qa.status, "active");
  assert.equal(qa.task, "Write tests");
  s.apply(ev("agent_activity", { agent: "qa", action: "completed", session_id: "s1" }));
  qa = s.agents.get("qa")!;
  assert.equal(qa.open, 0);
  assert.equal(qa.invocations, 1);
  assert.deepEqual(s.sessions.get("s1")!.agents, ["qa"]);
});

test("agent status follows the monitor's rule: active for five quiet minutes, or an hour while an invocation is open", () => {
  let now = Date.UTC(2025, 10, 15, 12, 0, 0);
  const s = new MonitorState(() => now);
  const at = (minutes: number) => new Date(Date.UTC(2025, 10, 15, 12, minutes, 0)).toISOString();
  s.apply(ev("agent_activity", { agent: "pm", action: "prompt", description: "fix the build" }, at(0)));
  s.apply(ev("agent_activity", { agent: "qa", action: "invoked" }, at(0)));
  s.apply(ev("agent_activity", { agent: "ops", action: "invoked" }, at(0)));
  s.apply(ev("agent_activity", { agent: "ops", action: "completed" }, at(0)));
  assert.deepEqual([...s.agents.values()].map((a) => [a.name, a.status, a.invocations]), [["pm", "active", 1], ["qa", "active", 1], ["ops", "active", 1]]);
  now = Date.UTC(2025, 10, 15, 12, 6, 0);
  s.refreshAgentStatuses();
  assert.deepEqual([...s.agents.values()].map((a) => [a.name, a.status]), [["pm", "idle"], ["qa", "active"], ["ops", "idle"]]);
  assert.ok(s.dirty.has("agents"));
  now = Date.UTC(2025, 10, 15, 13, 1, 0);
  s.refreshAgentStatuses();
  assert.equal(s.agents.get("qa")!.status, "idle");
});

test("a snapshot's agent that is active past the quiet window has an invocation open", () => {
  const now = Date.UTC(2025, 10, 15, 12, 30, 0);
  const s = new MonitorState(() => now);
  s.applySnapshot({ agents: [{ name: "research", status: "active", invocations: 2, last_seen: "2025-11-15T12:10:00.000Z" }] });
  s.refreshAgentStatuses();
  assert.equal(s.agents.get("research")!.status, "active");
  s.apply(ev("agent_activity", { agent: "research", action: "completed" }, "2025-11-15T12:10:30.000Z"));
  s.refreshAgentStatuses();
  assert.equal(s.agents.get("research")!.status, "idle");
});

test("events already counted by a snapshot do not count twice", () => {
  const s = new MonitorState(soon);
  const replayed = ev("agent_activity", { agent: "pm", action: "invoked" });
  s.applySnapshot({ agents: [{ name: "pm", status: "active", invocations: 7, last_seen: replayed.timestamp }], last_event_id: replayed.id });
  s.apply(replayed);
  assert.equal(s.agents.get("pm")!.invocations, 7);
  s.apply(ev("agent_activity", { agent: "pm", action: "invoked" }));
  assert.equal(s.agents.get("pm")!.invocations, 8);
});

test("an older event does not overwrite a newer status", () => {
  const s = new MonitorState();
  s.apply(ev("agent_activity", { agent: "ops", action: "completed" }, "2025-11-15T10:00:10.000Z"));
  s.apply(ev("agent_activity", { agent: "ops", action: "invoked" }, "2025-11-15T10:00:05.000Z"));
  assert.equal(s.agents.get("ops")!.status, "idle");
});

test("file_operation keeps the latest operation per file and counts them, newest last", () => {
  const s = new MonitorState();
  s.apply(ev("file_operation", { file: "a.ts", operation: "read", size: 10, agent: "qa" }));
  s.apply(ev("file_operation", { file: "b.ts", operation: "write", size: 20 }));
  s.apply(ev("file_operation", { file: "a.ts", operation: "edit", size: 12, agent: "pm" }));
  const a = s.files.get("a.ts")!;
  assert.equal(a.operation, "edit");
  assert.equal(a.count, 2);
  assert.equal(a.agent, "pm");
  assert.equal(a.size, 12);
  assert.deepEqual([...s.files.keys()], ["b.ts", "a.ts"]);
});

test("file projection is bounded", () => {
  const s = new MonitorState();
  for (let i = 0; i < 1100; i++) s.apply(ev("file_operation", { file: `f${i}`, operation: "read" }));
  assert.equal(s.files.size, 1000);
  assert.ok(!s.files.has("f0"));
  assert.ok(s.files.has("f1099"));
});

test("session_update sets token usage, context fraction and model", () => {
  const s = new MonitorState();
  s.apply(ev("session_update", { session_id: "abc", token_usage: 45000, context_percentage: 0.225, model: "claude-sonnet-4-5", status: "active" }));
  s.apply(ev("session_update", { session_id: "abc", status: "ended" }));
  const session = s.sessions.get("abc")!;
  assert.equal(session.token_usage, 45000);
  assert.equal(session.context_percentage, 0.225);
  assert.equal(session.model, "claude-sonnet-4-5");
  assert.equal(session.status, "ended");
});

test("container_stats builds bounded history and marks vanished containers", () => {
  const s = new MonitorState();
  for (let i = 0; i < 130; i++) {
    s.apply(ev("container_stats", { containers: [{ id: "c1", name: "/web", image: "busybox", status: "running", cpu_percent: i, memory_usage: 100, memory_limit: 1000 }] }));
  }
  const c1 = s.containers.get("c1")!;
  assert.equal(c1.name, "web");
  assert.equal(c1.cpu.length, 120);
  assert.equal(c1.cpu.last(), 129);
  s.apply(ev("container_stats", { containers: [] }));
  assert.equal(s.containers.get("c1")!.present, false);
});

test("container_event records lifecycle and status", () => {
  const s = new MonitorState();
  s.apply(ev("container_event", { container: { id: "c2", name: "worker", image: "busybox" }, action: "start" }));
  assert.equal(s.containers.get("c2")!.status, "running");
  s.apply(ev("container_event", { container: { id: "c2", name: "worker", image: "busybox" }, action: "die" }));
  const c2 = s.containers.get("c2")!;
  assert.equal(c2.status, "exited");
  assert.deepEqual(c2.lifecycle.toArray().map((l) => l.action), ["start", "die"]);
});

test("network rates come from counter deltas over the time between samples", () => {
  const s = new MonitorState();
  s.apply(ev("system_stats", { cpu_percent: 5, memory_used: 1, memory_total: 4, network: [{ name: "eth0", bytes_sent: 1000, bytes_recv: 5000 }] }, "2025-11-15T10:00:00.000Z"));
  assert.equal(s.host.rates.length, 0);
  s.apply(ev("system_stats", { cpu_percent: 7, memory_used: 2, memory_total: 4, network: [{ name: "eth0", bytes_sent: 3000, bytes_recv: 15000 }] }, "2025-11-15T10:00:05.000Z"));
  assert.deepEqual(s.host.rates, [{ name: "eth0", sentPerSecond: 400, recvPerSecond: 2000 }]);
  assert.equal(s.host.memory.last(), 50);
  // A counter that went backwards (interface reset) yields no rate for that interval.
  s.apply(ev("system_stats", { network: [{ name: "eth0", bytes_sent: 10, bytes_recv: 10 }] }, "2025-11-15T10:00:10.000Z"));
  assert.deepEqual(s.host.rates, [{ name: "eth0", sentPerSecond: 400, recvPerSecond: 2000 }]);
});

test("loopback traffic is listed last and left out of the host's total; unused interfaces are not listed", () => {
  const s = new MonitorState();
  const nics = (lo: number, eth: number) => [
    { name: "lo", bytes_sent: lo, bytes_recv: lo },
    { name: "ifb0", bytes_sent: 0, bytes_recv: 0 },
    { name: "eth0", bytes_sent: eth, bytes_recv: eth * 2 },
  ];
  s.apply(ev("system_stats", { network: nics(1_000_000, 100) }, "2025-11-15T10:00:00.000Z"));
  s.apply(ev("system_stats", { network: nics(6_000_000, 600) }, "2025-11-15T10:00:05.000Z"));
  assert.deepEqual(s.host.rates, [
    { name: "eth0", sentPerSecond: 100, recvPerSecond: 200 },
    { name: "lo", sentPerSecond: 1_000_000, recvPerSecond: 1_000_000, loopback: true },
  ]);
  assert.equal(s.host.totalSent.last(), 100);
  assert.equal(s.host.totalRecv.last(), 200);
});

test("a snapshot's system sample is not taken twice when the recent events already held it", () => {
  const s = new MonitorState();
  const sample = { cpu_percent: 12, memory_used: 1, memory_total: 4, network: [{ name: "eth0", bytes_sent: 10, bytes_recv: 20 }] };
  s.apply(ev("system_stats", sample, "2025-11-15T10:00:00.000Z"));
  s.applySnapshot({ system: sample, last_event_id: nextId - 1 });
  assert.equal(s.host.cpu.length, 1);
  assert.equal(s.host.totalRecv.length, 0);
  // Without recent events, the snapshot's sample is the first one.
  const fresh = new MonitorState();
  fresh.applySnapshot({ system: sample });
  assert.equal(fresh.host.latest?.cpu_percent, 12);
});

test("a snapshot without Docker keeps the containers that events reported; a healthy one is authoritative", () => {
  const s = new MonitorState();
  s.apply(ev("container_stats", { containers: [{ id: "c1", name: "api", status: "running", cpu_percent: 3 }] }));
  s.applySnapshot({ containers: { containers: [], docker: "disabled" } });
  assert.equal(s.containers.get("c1")!.present, true);
  assert.equal(s.dockerStatus, "disabled");
  s.applySnapshot({ containers: { containers: [], docker: "healthy" } });
  assert.equal(s.containers.get("c1")!.present, false);
});

test("bad payloads are ignored rather than thrown on", () => {
  const s = new MonitorState();
  s.apply(ev("agent_activity", { action: "invoked" }));
  s.apply(ev("file_operation", { operation: "read" }));
  s.apply(ev("container_stats", { containers: "nope" }));
  s.apply(ev("container_event", { container: null }));
  s.applySnapshot({ agents: [null as never, { name: 3 } as never], sessions: "x" as never });
  assert.equal(s.agents.size, 0);
  assert.equal(s.files.size, 0);
  assert.equal(s.containers.size, 0);
});
