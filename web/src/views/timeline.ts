import { h, setAttr, setText } from "../dom";
import type { EventLog, LoggedEvent } from "../eventLog";
import { formatClock, formatCount } from "../format";
import type { MonitorState } from "../monitorState";
import { summarize } from "../summarize";
import type { MonitorEvent } from "../types";

const ROW_HEIGHT = 28;
const OVERSCAN = 6;

interface Filter {
  type: string;
  agent: string;
  session: string;
  text: string;
}

/**
 * The live event list. Only the rows in view exist in the DOM (a pool of absolutely positioned
 * rows over a spacer), newest first; filtering is incremental as events arrive.
 */
export class TimelineView {
  readonly element: HTMLElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly typeSelect: HTMLSelectElement;
  private readonly agentSelect: HTMLSelectElement;
  private readonly sessionSelect: HTMLSelectElement;
  private readonly textInput: HTMLInputElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly bufferedLabel: HTMLSpanElement;
  private readonly countLabel: HTMLSpanElement;
  private readonly detail: HTMLElement;
  private readonly detailJson: HTMLPreElement;
  private readonly empty: HTMLElement;
  private readonly noMatch = h("div", { class: "empty", "data-testid": "timeline-no-match", hidden: true }, "No retained event matches these filters.");
  private readonly rows = new Map<number, HTMLDivElement>();
  private readonly pool: HTMLDivElement[] = [];
  /** Matching entries, oldest first. */
  private matched: LoggedEvent[] = [];
  private processedSeq = 1;
  private pausedAtSeq: number | undefined;
  private filter: Filter = { type: "", agent: "", session: "", text: "" };
  private refilter = true;
  private selected: MonitorEvent | undefined;
  private viewportHeight = 0;
  /** What the filter menus were last built from; null until they are first built. */
  private optionKeys: { types: string; agents: string; sessions: string } | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly state: MonitorState,
    private readonly requestRender: () => void,
  ) {
    this.typeSelect = h("select", { "data-testid": "filter-type", "aria-label": "Filter by event type" });
    this.agentSelect = h("select", { "data-testid": "filter-agent", "aria-label": "Filter by agent" });
    this.sessionSelect = h("select", { "data-testid": "filter-session", "aria-label": "Filter by session" });
    this.textInput = h("input", {
      type: "search",
      placeholder: "Search events…",
      "data-testid": "filter-text",
      "aria-label": "Search events",
    });
    for (const [select, key] of [
      [this.typeSelect, "type"],
      [this.agentSelect, "agent"],
      [this.sessionSelect, "session"],
    ] as const) {
      select.addEventListener("change", () => this.setFilter({ [key]: select.value }));
    }
    this.textInput.addEventListener("input", () => this.setFilter({ text: this.textInput.value.trim().toLowerCase() }));
    this.pauseButton = h("button", { type: "button", "data-testid": "pause-button", "data-paused": "false", onclick: () => this.togglePause() }, "Pause");
    this.bufferedLabel = h("span", { class: "buffered", "data-testid": "buffered-count", hidden: true });
    this.countLabel = h("span", { class: "muted count", "data-testid": "timeline-count" });
    const exportButton = h("button", { type: "button", "data-testid": "export-button", onclick: () => this.exportVisible() }, "Export JSON");

    this.spacer = h("div", { class: "spacer" });
    this.empty = h(
      "div",
      { class: "empty", "data-testid": "empty-timeline" },
      "No events yet. Events appear here as they happen: run ",
      h("code", null, "mpm hooks install"),
      " in your project and use Claude Code, or send one with ",
      h("code", null, "mpm emit hello --data '{\"msg\":\"hi\"}'"),
      ".",
    );
    this.viewport = h("div", { class: "timeline-viewport", "data-testid": "timeline-list", role: "list", tabindex: 0 }, this.spacer);
    this.viewport.addEventListener("scroll", () => this.requestRender(), { passive: true });
    this.viewport.addEventListener("click", (ev) => this.onRowActivate(ev));
    this.viewport.addEventListener("keydown", (ev) => this.onKey(ev));
    new ResizeObserver((entries) => {
      this.viewportHeight = entries[0]?.contentRect.height ?? 0;
      this.requestRender();
    }).observe(this.viewport);

    this.detailJson = h("pre", { "data-testid": "event-detail-json" });
    this.detail = h(
      "aside",
      { class: "event-detail", "data-testid": "event-detail", hidden: true, "aria-label": "Event detail" },
      h(
        "div",
        { class: "detail-head" },
        h("strong", null, "Event"),
        h("button", { type: "button", class: "ghost", "data-testid": "event-detail-copy", onclick: () => this.copySelected() }, "Copy"),
        h("button", { type: "button", class: "ghost", "data-testid": "event-detail-close", "aria-label": "Close detail", onclick: () => this.select(undefined) }, "✕"),
      ),
      this.detailJson,
    );
    this.element = h(
      "section",
      { class: "panel panel-timeline", "data-testid": "view-timeline", "data-panel": "timeline" },
      h("div", { class: "panel-inner" },
      h("header", { class: "panel-head" }, h("h2", null, "Timeline"), this.countLabel),
      h(
        "div",
        { class: "toolbar" },
        this.typeSelect,
        this.agentSelect,
        this.sessionSelect,
        this.textInput,
        h("span", { class: "toolbar-actions" }, this.pauseButton, this.bufferedLabel, exportButton),
      ),
      h("div", { class: "timeline-body" }, h("div", { class: "timeline-list-wrap" }, this.viewport, this.empty, this.noMatch), this.detail),
      ),
    );
    this.element.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.select(undefined);
    });
  }

  /** The events the list shows now (after filters), oldest first. */
  visibleEvents(): MonitorEvent[] {
    return this.matched.map((entry) => entry.event);
  }

  get isPaused(): boolean {
    return this.pausedAtSeq !== undefined;
  }

  render(): void {
    this.syncOptions();
    const before = this.matched.length;
    let added = 0;
    if (this.refilter) this.rebuild(this.pausedAtSeq ?? this.log.seq);
    else if (!this.isPaused) added = this.appendNew();
    if (!this.isPaused) {
      const oldest = this.log.oldestSeq();
      let drop = 0;
      while (drop < this.matched.length && this.matched[drop]!.seq < oldest) drop++;
      if (drop > 0) this.matched.splice(0, drop);
    }
    const total = this.matched.length;
    // Keep what the reader is looking at in place when rows arrive above it.
    let scrollTop = this.viewport.scrollTop;
    if (added > 0 && scrollTop > 0 && before > 0) {
      scrollTop += added * ROW_HEIGHT;
    }
    setAttr(this.spacer, "style", `height:${total * ROW_HEIGHT}px`);
    if (scrollTop !== this.viewport.scrollTop) this.viewport.scrollTop = scrollTop;
    this.renderRows(scrollTop, total);
    this.empty.hidden = this.log.length > 0;
    this.noMatch.hidden = this.log.length === 0 || total > 0;
    setText(this.countLabel, total === this.log.length ? `${formatCount(total)} events` : `${formatCount(total)} of ${formatCount(this.log.length)} events`);
    if (this.pausedAtSeq !== undefined) {
      const buffered = this.log.seq - this.pausedAtSeq;
      this.bufferedLabel.hidden = false;
      setText(this.bufferedLabel, `${formatCount(buffered)} new`);
      setAttr(this.bufferedLabel, "data-count", String(buffered));
    } else {
      this.bufferedLabel.hidden = true;
    }
  }

  private renderRows(scrollTop: number, total: number): void {
    const height = this.viewportHeight || this.viewport.clientHeight;
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const wanted = new Set<number>();
    for (let i = first; i <= last; i++) {
      const entry = this.matched[total - 1 - i];
      if (entry) wanted.add(entry.seq);
    }
    for (const [seq, row] of this.rows) {
      if (!wanted.has(seq)) {
        this.rows.delete(seq);
        row.remove();
        this.pool.push(row);
      }
    }
    // Rows sit in the DOM in the order they are shown (newest first), so tests and assistive
    // technology read them as a person sees them; usually only the new top row moves.
    let cursor = this.spacer.nextSibling;
    for (let i = first; i <= last; i++) {
      const entry = this.matched[total - 1 - i];
      if (!entry) continue;
      let row = this.rows.get(entry.seq);
      if (!row) {
        row = this.pool.pop() ?? this.createRow();
        this.fillRow(row, entry);
        this.rows.set(entry.seq, row);
      }
      if (row !== cursor) this.viewport.insertBefore(row, cursor);
      else cursor = cursor.nextSibling;
      setAttr(row, "style", `transform:translateY(${i * ROW_HEIGHT}px)`);
      setAttr(row, "aria-selected", String(this.selected === entry.event));
    }
  }

  private createRow(): HTMLDivElement {
    const row = h(
      "div",
      { class: "event-row", role: "listitem", tabindex: -1, "data-testid": "timeline-row" },
      h("span", { class: "time" }, h("span", null), h("span", { class: "ms" })),
      h("span", { class: "type" }),
      h("span", { class: "who" }),
      h("span", { class: "summary" }),
    );
    return row;
  }

  private fillRow(row: HTMLDivElement, entry: LoggedEvent): void {
    const e = entry.event;
    row.dataset.eventId = String(e.id);
    row.dataset.eventType = e.type;
    row.dataset.seq = String(entry.seq);
    const [time, type, who, summary] = Array.from(row.children) as HTMLElement[];
    const clock = formatClock(e.timestamp);
    (time!.firstChild as HTMLElement).textContent = clock.slice(0, 8);
    (time!.lastChild as HTMLElement).textContent = clock.slice(8);
    time!.title = e.timestamp;
    type!.textContent = e.type;
    type!.dataset.kind = typeKind(e.type);
    who!.textContent = typeof e.agent === "string" ? e.agent : typeof e.session_id === "string" ? e.session_id.slice(0, 8) : "";
    summary!.textContent = summarize(e);
  }

  private onRowActivate(ev: Event): void {
    const row = (ev.target as HTMLElement).closest<HTMLElement>(".event-row");
    if (!row?.dataset.seq) return;
    const seq = Number(row.dataset.seq);
    const entry = this.matched.find((m) => m.seq === seq);
    this.select(entry?.event);
  }

  /** Up/Down move the selection (newest is at the top), Enter opens the first row, Escape closes. */
  private onKey(ev: KeyboardEvent): void {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp" && ev.key !== "Enter") return;
    const total = this.matched.length;
    if (total === 0) return;
    ev.preventDefault();
    const current = this.selected ? this.matched.findIndex((m) => m.event === this.selected) : -1;
    // Display index 0 is the newest, i.e. the last matched entry.
    let index = current < 0 ? 0 : total - 1 - current;
    if (current >= 0 && ev.key === "ArrowDown") index = Math.min(total - 1, index + 1);
    if (current >= 0 && ev.key === "ArrowUp") index = Math.max(0, index - 1);
    this.select(this.matched[total - 1 - index]!.event);
    const top = index * ROW_HEIGHT;
    const height = this.viewportHeight || this.viewport.clientHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + height) this.viewport.scrollTop = top + ROW_HEIGHT - height;
  }

  private select(event: MonitorEvent | undefined): void {
    this.selected = event;
    this.detail.hidden = !event;
    this.detailJson.textContent = event ? JSON.stringify(event, null, 2) : "";
    if (event) this.detail.dataset.eventId = String(event.id);
    this.requestRender();
  }

  private copySelected(): void {
    if (this.selected) void navigator.clipboard?.writeText(JSON.stringify(this.selected, null, 2)).catch(() => undefined);
  }

  private togglePause(): void {
    if (this.pausedAtSeq === undefined) {
      this.pausedAtSeq = this.log.seq;
    } else {
      this.pausedAtSeq = undefined;
      this.refilter = true;
    }
    setText(this.pauseButton, this.isPaused ? "Resume" : "Pause");
    setAttr(this.pauseButton, "data-paused", String(this.isPaused));
    this.requestRender();
  }

  private setFilter(change: Partial<Filter>): void {
    this.filter = { ...this.filter, ...change };
    this.refilter = true;
    this.requestRender();
  }

  /** Refilters the retained events that arrived before `limitSeq` (the pause point, while paused). */
  private rebuild(limitSeq: number): void {
    this.matched = [];
    for (let i = 0; i < this.log.length; i++) {
      const entry = this.log.at(i)!;
      if (entry.seq >= limitSeq) break;
      if (this.matches(entry)) this.matched.push(entry);
    }
    this.processedSeq = limitSeq;
    this.refilter = false;
  }

  private appendNew(): number {
    let added = 0;
    const oldest = this.log.oldestSeq();
    for (let seq = Math.max(this.processedSeq, oldest); seq < this.log.seq; seq++) {
      const entry = this.log.at(seq - oldest);
      if (entry && this.matches(entry)) {
        this.matched.push(entry);
        added++;
      }
    }
    this.processedSeq = this.log.seq;
    return added;
  }

  private matches(entry: LoggedEvent): boolean {
    const e = entry.event;
    const f = this.filter;
    if (f.type && e.type !== f.type) return false;
    if (f.agent && e.agent !== f.agent) return false;
    if (f.session && e.session_id !== f.session) return false;
    if (f.text) {
      entry.searchText ??= JSON.stringify(e).toLowerCase();
      if (!entry.searchText.includes(f.text)) return false;
    }
    return true;
  }

  private syncOptions(): void {
    const types = [...this.log.typeCounts.keys()].sort();
    const agents = [...this.state.agents.keys()].sort();
    const sessions = [...this.state.sessions.keys()];
    const typesKey = types.join("\n");
    const agentsKey = agents.join("\n");
    const sessionsKey = sessions.join("\n");
    const last = this.optionKeys;
    if (typesKey !== last?.types) fillOptions(this.typeSelect, "All types", types, this.filter.type);
    if (agentsKey !== last?.agents) fillOptions(this.agentSelect, "All agents", agents, this.filter.agent);
    if (sessionsKey !== last?.sessions) fillOptions(this.sessionSelect, "All sessions", sessions, this.filter.session);
    this.optionKeys = { types: typesKey, agents: agentsKey, sessions: sessionsKey };
  }

  private exportVisible(): void {
    const blob = new Blob([JSON.stringify(this.visibleEvents(), null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `mpm-events-${new Date().toISOString().replace(/[:.]/g, "-")}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

function fillOptions(select: HTMLSelectElement, allLabel: string, values: string[], current: string): void {
  const options = [h("option", { value: "" }, allLabel), ...values.map((v) => h("option", { value: v }, v))];
  if (current && !values.includes(current)) options.push(h("option", { value: current }, current));
  select.replaceChildren(...options);
  select.value = current;
}

function typeKind(type: string): string {
  switch (type) {
    case "agent_activity":
      return "agent";
    case "file_operation":
      return "file";
    case "session_update":
      return "session";
    case "container_stats":
    case "container_event":
      return "container";
    case "system_stats":
      return "system";
    default:
      return "custom";
  }
}
