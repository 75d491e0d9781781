import { test } from "node:test";
import assert from "node:assert/strict";
import { summarize } from "../src/summarize";
import { formatBytes, formatRelative } from "../src/format";

const base = { id: 1, timestamp: "2025-11-15T10:30:00.000Z" };

test("each known event type gets a readable line", () => {
  assert.equal(summarize({ ...base, type: "agent_activity", agent: "qa", action: "invoked", description: "Write tests" }), "invoked — Write tests");
  assert.equal(summarize({ ...base, type: "file_operation", file: "src/a.ts", operation: "edit", size: 2048 }), "edit src/a.ts (2.0 KB)");
  assert.equal(summarize({ ...base, type: "session_update", token_usage: 45000, context_percentage: 0.225 }), "45.0k tokens, context 22.5%");
  assert.equal(summarize({ ...base, type: "container_event", action: "die", container: { id: "abc", name: "web" } }), "die web");
});

test("a custom event shows its data without the envelope", () => {
  assert.equal(summarize({ ...base, type: "deploy", host: "h", ok: true }), '{"ok":true}');
});

test("sizes and times read naturally", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KB");
  assert.equal(formatBytes(undefined), "–");
  const now = Date.parse("2025-11-15T10:30:00.000Z");
  assert.equal(formatRelative("2025-11-15T10:29:58.000Z", now), "just now");
  assert.equal(formatRelative("2025-11-15T10:28:00.000Z", now), "2m ago");
  assert.equal(formatRelative("not a time", now), "–");
});
