import { formatBytes, formatCount, formatPercent } from "./format";
import type { MonitorEvent } from "./types";

const ENVELOPE = new Set(["id", "type", "timestamp", "host", "session_id", "agent"]);

/** One line that says what an event is about, for the timeline. */
export function summarize(e: MonitorEvent): string {
  switch (e.type) {
    case "agent_activity":
      return [e.action, text(e.tool), e.description ? `— ${text(e.description)}` : "", e.duration_ms !== undefined ? `(${text(e.duration_ms)} ms)` : ""]
        .filter(Boolean)
        .join(" ");
    case "file_operation":
      return `${text(e.operation)} ${text(e.file)}${typeof e.size === "number" ? ` (${formatBytes(e.size)})` : ""}`;
    case "session_update": {
      const pct = typeof e.context_percentage === "number" ? formatPercent(e.context_percentage * 100) : "–";
      return `${formatCount(e.token_usage as number)} tokens, context ${pct}${e.status ? `, ${text(e.status)}` : ""}${e.model ? `, ${text(e.model)}` : ""}`;
    }
    case "container_stats": {
      const list = Array.isArray(e.containers) ? e.containers : [];
      return `${list.length} container${list.length === 1 ? "" : "s"}${e.docker ? ` (docker ${text(e.docker)})` : ""}`;
    }
    case "container_event": {
      const c = (e.container ?? {}) as { name?: unknown; id?: unknown };
      return `${text(e.action)} ${text(c.name ?? (typeof c.id === "string" ? c.id.slice(0, 12) : ""))}`;
    }
    case "system_stats":
      return `cpu ${formatPercent(e.cpu_percent as number)}, memory ${formatBytes(e.memory_used as number)} of ${formatBytes(e.memory_total as number)}`;
    case "claude_hook":
      return [text(e.hook_event_name), text(e.tool_name)].filter(Boolean).join(" ");
    default: {
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(e)) if (!ENVELOPE.has(k)) rest[k] = v;
      const json = JSON.stringify(rest);
      return json.length > 160 ? `${json.slice(0, 157)}…` : json;
    }
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
