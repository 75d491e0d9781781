import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_ITEMS, MAX_STRING, trimEvent } from "../src/trimEvent";

const base = { id: 1, type: "claude_hook", timestamp: "2025-11-15T10:30:00.000Z" };

test("a small event is kept as the same object", () => {
  const e = { ...base, tool_input: { file_path: "a.ts" }, list: [1, 2, 3] };
  assert.equal(trimEvent(e), e);
});

test("long strings deep in a hook input are cut with a note, the original is untouched", () => {
  const content = "x".repeat(MAX_STRING + 500);
  const e = { ...base, tool_response: { file: { content } } };
  const t = trimEvent(e) as typeof e;
  assert.notEqual(t, e);
  assert.ok(t.tool_response.file.content.startsWith("x".repeat(MAX_STRING)));
  assert.match(t.tool_response.file.content, /500 more characters not kept/);
  assert.equal(e.tool_response.file.content, content);
  assert.equal(t.id, 1);
});

test("long arrays keep their first items and say how many were dropped", () => {
  const e = { ...base, lines: Array.from({ length: MAX_ITEMS + 5 }, (_, i) => i) };
  const t = trimEvent(e) as unknown as { lines: unknown[] };
  assert.equal(t.lines.length, MAX_ITEMS + 1);
  assert.equal(t.lines.at(-1), "[5 more items not kept by the dashboard]");
});
