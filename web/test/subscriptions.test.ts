import { test } from "node:test";
import assert from "node:assert/strict";
import { describeReply, isShown, replyMatches, withAll, withType } from "../src/subscriptions";

test("unchecking a type while on 'all' excludes it", () => {
  const c = withType({ all: true, except: [] }, "file_operation", false);
  assert.deepEqual(c, { all: true, except: ["file_operation"] });
  assert.equal(isShown(c, "file_operation"), false);
  assert.equal(isShown(c, "my.custom"), true);
  assert.deepEqual(withType(c, "file_operation", true), { all: true, except: [] });
});

test("leaving 'all' keeps the shown known types only", () => {
  const c = withAll({ all: true, except: ["claude_hook"] }, false, ["agent_activity", "claude_hook", "system_stats"]);
  assert.deepEqual(c, { all: false, only: ["agent_activity", "system_stats"] });
  assert.equal(isShown(c, "my.custom"), false);
  assert.deepEqual(withAll(c, true, []), { all: true, except: [] });
});

test("a server reply is checked against the choice", () => {
  assert.ok(replyMatches({ all: true, except: ["a"] }, { subscribed: ["*"], except: ["a"] }));
  assert.ok(!replyMatches({ all: true, except: [] }, { subscribed: ["*"], except: ["a"] }));
  assert.ok(replyMatches({ all: false, only: ["a", "b"] }, { subscribed: ["b", "a"] }));
  assert.ok(!replyMatches({ all: false, only: ["a"] }, { subscribed: ["*"] }));
});

test("replies are described for people", () => {
  assert.equal(describeReply({ subscribed: ["*"], except: ["x", "y"] }), "all events except x, y");
  assert.equal(describeReply({ subscribed: ["a", "b"] }), "a, b");
  assert.equal(describeReply({ subscribed: [] }), "nothing");
});
