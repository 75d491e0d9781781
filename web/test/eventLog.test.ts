import { test } from "node:test";
import assert from "node:assert/strict";
import { EventLog } from "../src/eventLog";
import type { MonitorEvent } from "../src/types";

const ev = (id: number, type = "custom"): MonitorEvent => ({ id, type, timestamp: "2025-11-15T10:30:00.000Z" });

test("a replayed id is dropped", () => {
  const log = new EventLog(10);
  assert.ok(log.add(ev(1)));
  assert.ok(log.add(ev(2)));
  assert.equal(log.add(ev(1)), null);
  assert.equal(log.length, 2);
  assert.equal(log.highestId, 2);
});

test("retains at most its capacity, and sequence numbers tell what was evicted", () => {
  const log = new EventLog(3);
  for (let id = 1; id <= 5; id++) log.add(ev(id));
  assert.equal(log.length, 3);
  assert.equal(log.at(0)?.event.id, 3);
  assert.equal(log.oldestSeq(), 3);
  assert.equal(log.seq, 6);
});

test("an event older than everything retained in a full log is not taken back", () => {
  const log = new EventLog(2);
  log.add(ev(10));
  log.add(ev(11));
  assert.equal(log.add(ev(5)), null);
  // Not full: an older id that was never seen is accepted (it arrived out of order).
  const roomy = new EventLog(5);
  roomy.add(ev(10));
  assert.ok(roomy.add(ev(5)));
  assert.equal(roomy.highestId, 10);
});

test("evicted ids are forgotten so the id set stays bounded", () => {
  const log = new EventLog(2);
  log.add(ev(1));
  log.add(ev(2));
  log.add(ev(3));
  // id 1 is gone from the set, but it is older than the oldest retained: still refused.
  assert.equal(log.add(ev(1)), null);
});

test("counts events per type and remembers the server's newest id", () => {
  const log = new EventLog(10);
  log.add(ev(1, "a"));
  log.add(ev(2, "a"));
  log.add(ev(3, "b"));
  assert.deepEqual([...log.typeCounts], [["a", 2], ["b", 1]]);
  log.noteServerId(40);
  log.noteServerId(7);
  assert.equal(log.highestId, 40);
});

test("distinct type names are tallied up to a limit, events past it are still kept", () => {
  const log = new EventLog(1000);
  for (let i = 0; i < 250; i++) log.add(ev(i + 1, `custom.${i}`));
  assert.equal(log.typeCounts.size, 200);
  assert.equal(log.length, 250);
});
