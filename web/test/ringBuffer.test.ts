import { test } from "node:test";
import assert from "node:assert/strict";
import { RingBuffer } from "../src/ringBuffer";

test("keeps items oldest first until full", () => {
  const ring = new RingBuffer<number>(3);
  ring.push(1);
  ring.push(2);
  assert.deepEqual(ring.toArray(), [1, 2]);
  assert.equal(ring.length, 2);
  assert.equal(ring.last(), 2);
});

test("past capacity drops the oldest and returns it", () => {
  const ring = new RingBuffer<number>(3);
  for (const n of [1, 2, 3]) assert.equal(ring.push(n), undefined);
  assert.equal(ring.push(4), 1);
  assert.equal(ring.push(5), 2);
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
  assert.equal(ring.at(0), 3);
  assert.equal(ring.at(3), undefined);
  assert.equal(ring.at(-1), undefined);
});

test("version counts pushes so readers can skip unchanged series", () => {
  const ring = new RingBuffer<number>(2);
  const before = ring.version;
  ring.push(1);
  ring.push(2);
  ring.push(3);
  assert.equal(ring.version - before, 3);
});

test("rejects a capacity that is not a positive integer", () => {
  assert.throws(() => new RingBuffer(0), /positive integer/);
  assert.throws(() => new RingBuffer(1.5), /positive integer/);
});
