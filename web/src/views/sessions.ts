import { h, renderPositional, setAttr, setText } from "../dom";
import { formatCount, formatPercent, formatRelative } from "../format";
import type { MonitorState, SessionView } from "../monitorState";
import { code, emptyState, fields, panel } from "./panel";

const SHOWN = 100;
const SHOWN_COMPACT = 12;

/** Sessions: token usage and how full each context window is. */
export class SessionsView {
  readonly element: HTMLElement;
  private readonly list = h("div", { class: "cards", role: "list" });
  private readonly empty = emptyState(
    "sessions",
    "No sessions yet — after ",
    code("mpm hooks install"),
    ", each Claude Code session reports its token usage and context here when it starts and after each reply.",
  );
  private readonly count: HTMLSpanElement;

  constructor(private readonly state: MonitorState) {
    ({ element: this.element, count: this.count } = panel("sessions", "Sessions", this.empty, this.list));
  }

  render(now: number, compact: boolean): void {
    const sessions = [...this.state.sessions.values()].sort(compareSessions).slice(0, compact ? SHOWN_COMPACT : SHOWN);
    const active = sessions.filter((s) => s.status !== "ended").length;
    setText(this.count, this.state.sessions.size ? `${active} active / ${this.state.sessions.size}` : "");
    this.empty.hidden = sessions.length > 0;
    renderPositional(this.list, sessions, createCard, (el, s) => updateCard(el, s, now));
  }
}

function createCard(): HTMLElement {
  return h(
    "div",
    { class: "card session-card", role: "listitem", "data-testid": "session-row" },
    h(
      "div",
      { class: "card-head" },
      h("span", { class: "name mono", "data-field": "id" }),
      h("span", { class: "badge", "data-field": "status" }),
      h("span", { class: "muted when", "data-field": "seen" }),
    ),
    h(
      "div",
      { class: "gauge", "data-testid": "context-gauge", "data-field": "gauge", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100, "aria-label": "context used" },
      h("div", { class: "gauge-fill", "data-field": "fill" }),
    ),
    h(
      "div",
      { class: "card-line" },
      h("span", { "data-field": "context" }),
      h("span", { "data-field": "tokens" }),
      h("span", { class: "muted", "data-field": "model" }),
    ),
    h("div", { class: "card-line muted", "data-field": "agents" }),
  );
}

function updateCard(el: HTMLElement, s: SessionView, now: number): void {
  const f = fields(el);
  setAttr(el, "data-session-id", s.session_id);
  setText(f.id!, s.session_id.length > 14 ? `${s.session_id.slice(0, 12)}…` : s.session_id);
  setAttr(f.id!, "title", s.session_id);
  const status = s.status ?? "active";
  setAttr(el, "data-status", status);
  setText(f.status!, status);
  setText(f.seen!, formatRelative(s.last_seen, now));
  const fraction = typeof s.context_percentage === "number" ? Math.min(Math.max(s.context_percentage, 0), 1) : undefined;
  const pct = fraction === undefined ? 0 : fraction * 100;
  setAttr(f.fill!, "style", `width:${pct.toFixed(1)}%`);
  setAttr(f.gauge!, "data-level", fraction === undefined ? "unknown" : fraction >= 0.8 ? "critical" : fraction >= 0.5 ? "warning" : "ok");
  setAttr(f.gauge!, "aria-valuenow", pct.toFixed(1));
  setAttr(f.gauge!, "data-value", fraction === undefined ? "" : String(fraction));
  setText(f.context!, fraction === undefined ? "context –" : `context ${formatPercent(pct)}`);
  const detail = [
    s.input_tokens !== undefined ? `in ${formatCount(s.input_tokens)}` : "",
    s.output_tokens !== undefined ? `out ${formatCount(s.output_tokens)}` : "",
    s.cache_read_tokens !== undefined ? `cache read ${formatCount(s.cache_read_tokens)}` : "",
    s.cache_creation_tokens !== undefined ? `cache write ${formatCount(s.cache_creation_tokens)}` : "",
  ].filter(Boolean);
  setText(f.tokens!, `${formatCount(s.token_usage)} tokens`);
  setAttr(f.tokens!, "title", detail.join(", "));
  setText(f.model!, s.model ?? "");
  setText(f.agents!, s.agents.length ? `agents: ${s.agents.join(", ")}` : "no agents yet");
}

function compareSessions(x: SessionView, y: SessionView): number {
  if ((x.status === "ended") !== (y.status === "ended")) return x.status === "ended" ? 1 : -1;
  return (y.last_seen ?? "").localeCompare(x.last_seen ?? "");
}
