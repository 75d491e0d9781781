import { h, renderPositional, setAttr, setText } from "../dom";
import { formatCount, formatRelative } from "../format";
import type { AgentView, MonitorState } from "../monitorState";
import { code, emptyState, fields, panel } from "./panel";

const SHOWN_COMPACT = 30;

/** Agents: who is working now, how often each was invoked, and on what. */
export class AgentsView {
  readonly element: HTMLElement;
  private readonly list = h("div", { class: "rows", role: "list" });
  private readonly empty = emptyState(
    "agents",
    "No agents yet — run ",
    code("mpm hooks install"),
    " in your project, then use Claude Code. Agents show up here as they are invoked.",
  );
  private readonly count: HTMLSpanElement;

  constructor(private readonly state: MonitorState) {
    ({ element: this.element, count: this.count } = panel("agents", "Agents", this.empty, this.list));
  }

  render(now: number, compact: boolean): void {
    const agents = [...this.state.agents.values()].sort(compareAgents);
    const active = agents.filter((a) => a.status === "active").length;
    setText(this.count, agents.length ? `${active} active / ${agents.length}` : "");
    this.empty.hidden = agents.length > 0;
    renderPositional(this.list, compact ? agents.slice(0, SHOWN_COMPACT) : agents, createRow, (el, a) => updateRow(el, a, now));
  }
}

function createRow(): HTMLElement {
  return h(
    "div",
    { class: "row two-line agent-row", role: "listitem", "data-testid": "agent-row" },
    h(
      "div",
      { class: "line" },
      h("span", { class: "dot", "data-field": "dot" }),
      h("span", { class: "name", "data-field": "name" }),
      h("span", { class: "badge", "data-field": "status" }),
      h("span", { class: "num muted", "data-field": "invocations", title: "invocations" }),
      h("span", { class: "muted when", "data-field": "seen" }),
    ),
    h("div", { class: "line meta task", "data-field": "task" }),
  );
}

function updateRow(el: HTMLElement, a: AgentView, now: number): void {
  const f = fields(el);
  setAttr(el, "data-agent", a.name);
  setText(f.name!, a.name);
  setAttr(el, "data-status", a.status);
  setText(f.status!, a.status);
  setText(f.invocations!, `${formatCount(a.invocations)} invocation${a.invocations === 1 ? "" : "s"}`);
  const task = a.task ? (a.status === "active" ? a.task : `last: ${a.task}`) : a.lastAction ?? "no task reported";
  setText(f.task!, task);
  setAttr(f.task!, "title", task);
  setText(f.seen!, formatRelative(a.last_seen, now));
  setAttr(f.seen!, "title", a.last_seen ?? "");
}

function compareAgents(x: AgentView, y: AgentView): number {
  if ((x.status === "active") !== (y.status === "active")) return x.status === "active" ? -1 : 1;
  return (y.last_seen ?? "").localeCompare(x.last_seen ?? "") || x.name.localeCompare(y.name);
}
