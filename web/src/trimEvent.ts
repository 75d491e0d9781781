import type { MonitorEvent } from "./types";

/** Longest string kept in a retained event; raw hook inputs can carry whole tool outputs. */
export const MAX_STRING = 2000;
/** Most array items kept in a retained event. */
export const MAX_ITEMS = 200;
const MAX_DEPTH = 8;

/**
 * Bounds what one retained event can cost: long strings and arrays are cut with a note saying how
 * much was left out (the monitor's store still has it all, via /api/events). Returns the event
 * itself when nothing needed cutting, which is the common case.
 */
export function trimEvent(event: MonitorEvent): MonitorEvent {
  return trim(event, 0) as MonitorEvent;
}

function trim(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… [${value.length - MAX_STRING} more characters not kept by the dashboard]` : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[nested too deep to keep]";
  if (Array.isArray(value)) {
    let changed = value.length > MAX_ITEMS;
    const kept = value.slice(0, MAX_ITEMS).map((item) => {
      const t = trim(item, depth + 1);
      if (t !== item) changed = true;
      return t;
    });
    if (value.length > MAX_ITEMS) kept.push(`[${value.length - MAX_ITEMS} more items not kept by the dashboard]`);
    return changed ? kept : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const t = trim(item, depth + 1);
    if (t !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = t;
    }
  }
  return copy ?? value;
}
