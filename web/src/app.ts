import { getJson, UnauthorizedError } from "./api";
import { getToken, TokenPrompt } from "./auth";
import { MonitorConnection } from "./connection";
import { h, setAttr, setText } from "./dom";
import { EventLog } from "./eventLog";
import { FrameScheduler } from "./frameScheduler";
import { MonitorState, type ViewName } from "./monitorState";
import { describeReply, isShown, loadChoice, saveChoice, type SubscriptionChoice } from "./subscriptions";
import { SubscriptionSync } from "./subscriptionSync";
import { trimEvent } from "./trimEvent";
import { isMonitorEvent, KNOWN_EVENT_TYPES, type MonitorEvent, type StateReply } from "./types";
import { AgentsView } from "./views/agents";
import { ConnectionBadge } from "./views/connectionBadge";
import { ContainersView } from "./views/containers";
import { FilesView } from "./views/files";
import { HostView } from "./views/host";
import { OverviewStrip } from "./views/overview";
import { SessionsView } from "./views/sessions";
import { SubscriptionPicker } from "./views/subscriptionPicker";
import { TimelineView } from "./views/timeline";

export const RETAINED_EVENTS = 5000;
/** Events waiting for the next frame; past this (a stalled page) the oldest waiting are dropped. */
const MAX_QUEUED = 20_000;
/**
 * Nobody reads a list that moves 60 times a second: under a flood the timeline redraws at most every
 * 100 ms and the other views every 250 ms, which keeps layout and paint to a small share of each
 * second. What the user does (scroll, filter, click) is drawn in the very next frame.
 */
const TIMELINE_INTERVAL_MS = 100;
const STATE_VIEW_INTERVAL_MS = 250;
const STATUS_POLL_MS = 30_000;
/** Custom names offered in the picker, beyond which new ones are only covered by "all". */
const MAX_PICKER_TYPES = 60;
const TABS = ["overview", "timeline", "agents", "sessions", "files", "containers", "host"] as const;
type Tab = (typeof TABS)[number];

interface StateView {
  element: HTMLElement;
  /** `compact`: drawn in the overview grid, where only the first rows can be seen. */
  render(now: number, compact: boolean): void;
}

/** Wires the connection, the event log, the projections and the views together. */
export class App {
  private readonly log = new EventLog(RETAINED_EVENTS);
  private readonly state = new MonitorState();
  private readonly queue: MonitorEvent[] = [];
  private readonly scheduler = new FrameScheduler(() => this.frame());
  private readonly connection: MonitorConnection;
  private readonly subscriptions: SubscriptionSync;
  private readonly prompt: TokenPrompt;
  private readonly badge: ConnectionBadge;
  private readonly picker: SubscriptionPicker;
  private readonly timeline: TimelineView;
  private readonly overview: OverviewStrip;
  private readonly views: Record<ViewName, StateView>;
  private readonly main: HTMLElement;
  private readonly tabs = new Map<Tab, HTMLAnchorElement>();
  private readonly notice = h("div", { class: "notice", "data-testid": "notice", role: "alert", hidden: true });
  private readonly serverInfo = h("span", { class: "muted server-info", "data-testid": "server-info" });
  private readonly serverHealth = h("span", { class: "health", "data-testid": "server-health" });
  private readonly knownTypes = new Set<string>(KNOWN_EVENT_TYPES);
  private choice: SubscriptionChoice = loadChoice();
  private syncing = false;
  private timelineDirty = true;
  private lastStateRender = 0;
  private lastTimelineRender = 0;
  private timelineInteractive = false;
  private tab: Tab = "overview";
  private promptOpen = false;
  private laterTimer: number | undefined;

  constructor(root: HTMLElement) {
    this.prompt = new TokenPrompt(document.body);
    this.connection = new MonitorConnection({
      auth: () => ({ token: getToken(), last_event_id: this.log.highestId > 0 ? this.log.highestId : undefined }),
      onStatus: (status) => {
        this.badge.update(status);
        // What /status said is stale while the monitor is unreachable.
        this.serverHealth.classList.toggle("stale", status.state !== "connected");
      },
      onConnect: () => void this.onConnect(),
      onServerEvent: (name, payload) => this.onServerEvent(name, payload),
      // A refusal of an attempt made with an older token (one in flight while the user typed a new
      // one) says nothing about the new token: try that at once instead of asking again.
      onAuthError: (message, usedToken) => {
        if (usedToken !== getToken()) this.connection.connectNow();
        else void this.askToken(message);
      },
    });
    this.subscriptions = new SubscriptionSync(this.connection, (reply, ok) => {
      if (reply.error) this.showNotice(`Subscription refused: ${reply.error.message}`);
      else this.picker.showServerReply(describeReply(reply), ok);
    });
    this.badge = new ConnectionBadge(() => this.connection.connectNow());
    this.picker = new SubscriptionPicker(this.choice, (next, previous) => this.onChoice(next, previous));
    this.timeline = new TimelineView(this.log, this.state, () => {
      this.timelineDirty = true;
      this.timelineInteractive = true;
      this.scheduler.request();
    });
    this.overview = new OverviewStrip(this.state, this.log);
    this.views = {
      agents: new AgentsView(this.state),
      sessions: new SessionsView(this.state),
      files: new FilesView(this.state),
      containers: new ContainersView(this.state),
      host: new HostView(this.state),
    };
    this.main = h(
      "main",
      { "data-view": "overview" },
      this.overview.element,
      h(
        "div",
        { class: "grid" },
        this.views.agents.element,
        this.views.sessions.element,
        this.views.host.element,
        this.timeline.element,
        this.views.files.element,
        this.views.containers.element,
      ),
    );
    const nav = h("nav", { class: "tabs", "aria-label": "Views", role: "tablist" });
    for (const tab of TABS) {
      const link = h("a", { href: `#${tab}`, "data-testid": `tab-${tab}`, role: "tab" }, tab[0]!.toUpperCase() + tab.slice(1));
      this.tabs.set(tab, link);
      nav.append(link);
    }
    const header = h(
      "header",
      { class: "top" },
      h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "◉"), h("h1", null, "Mpm Monitor"), this.serverInfo),
      h("div", { class: "top-right" }, this.serverHealth, this.badge.element, this.picker.element),
    );
    root.replaceChildren(header, nav, this.notice, this.main);
  }

  start(): void {
    window.addEventListener("hashchange", () => this.showTab(tabFromHash()));
    this.showTab(tabFromHash());
    window.setInterval(() => this.everySecond(), 1000);
    window.setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
    void this.pollStatus();
    this.connection.start();
  }

  private async onConnect(): Promise<void> {
    this.syncing = true;
    try {
      const since = this.log.highestId > 0 ? { since: this.log.highestId } : {};
      const reply = await this.connection.request<StateReply>("get_state", since);
      if (reply.error) this.showNotice(`get_state refused: ${reply.error.message}`);
      else this.applyState(reply);
    } catch (err) {
      this.showNotice(`The monitor did not answer get_state: ${(err as Error).message}`);
    } finally {
      // Live events that arrived meanwhile were held so the snapshot goes first.
      this.syncing = false;
      this.scheduler.request();
    }
    await this.subscriptions.applyOnConnect(this.choice);
  }

  private applyState(reply: StateReply): void {
    const recent = Array.isArray(reply.recent_events) ? reply.recent_events.filter(isMonitorEvent) : [];
    recent.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    for (const e of recent) this.ingest(e);
    this.state.applySnapshot(reply);
    this.log.noteServerId(reply.last_event_id);
    const server = reply.server ?? {};
    const label = [server.host, server.version ? `v${String(server.version)}` : ""].filter(Boolean).map(String).join(" · ");
    setText(this.serverInfo, label);
    this.hideNotice();
    this.markAllDirty();
  }

  private onServerEvent(name: string, payload: unknown): void {
    if (name === "state" || name === "subscribed") return; // replies we already take as acknowledgements
    if (name === "monitor_error") {
      const err = (payload as { error?: { message?: string } })?.error;
      this.showNotice(`Monitor error: ${err?.message ?? JSON.stringify(payload)}`);
      return;
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return;
    // The event's name is its type; a payload that omits `type` still belongs under its name.
    const record = payload as Record<string, unknown>;
    if (typeof record.type !== "string") record.type = name;
    if (!isMonitorEvent(record)) return;
    if (this.queue.length >= MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED + 1);
    this.queue.push(record);
    this.scheduler.request();
  }

  private ingest(received: MonitorEvent): void {
    if (!isShown(this.choice, received.type)) return;
    const e = trimEvent(received);
    if (!this.log.add(e)) return;
    this.state.apply(e);
    this.timelineDirty = true;
    if (!this.knownTypes.has(e.type) && this.knownTypes.size < MAX_PICKER_TYPES) {
      this.knownTypes.add(e.type);
      this.picker.addType(e.type);
    }
  }

  private frame(): void {
    if (!this.syncing && this.queue.length) {
      for (const e of this.queue) this.ingest(e);
      this.queue.length = 0;
    }
    const now = Date.now();
    const showAll = this.tab === "overview";
    if (this.timelineDirty && (showAll || this.tab === "timeline")) {
      const wait = this.timelineInteractive ? 0 : TIMELINE_INTERVAL_MS - (now - this.lastTimelineRender);
      if (wait <= 0) {
        this.timelineDirty = false;
        this.timelineInteractive = false;
        this.lastTimelineRender = now;
        this.timeline.render();
      } else {
        this.later(wait);
      }
    }
    if (this.state.dirty.size) {
      const wait = STATE_VIEW_INTERVAL_MS - (now - this.lastStateRender);
      if (wait > 0) {
        this.later(wait);
        return;
      }
      this.lastStateRender = now;
      for (const name of [...this.state.dirty]) {
        if (showAll || this.tab === name) {
          this.views[name].render(now, showAll);
          this.state.dirty.delete(name);
        }
      }
      if (showAll) this.overview.render();
    }
  }

  /** Asks for a frame once `ms` have passed (one timer at a time). */
  private later(ms: number): void {
    this.laterTimer ??= window.setTimeout(() => {
      this.laterTimer = undefined;
      this.scheduler.request();
    }, ms);
  }

  private everySecond(): void {
    this.overview.sample();
    this.badge.tick(Date.now());
    // Relative times ("5s ago") move on their own, and so do agents' statuses.
    this.state.refreshAgentStatuses();
    this.state.dirty.add("agents").add("sessions").add("files");
    if (this.tab === "overview") this.overview.render();
    this.scheduler.request();
  }

  private markAllDirty(): void {
    for (const name of Object.keys(this.views) as ViewName[]) this.state.dirty.add(name);
    this.timelineDirty = true;
    this.timelineInteractive = true;
    this.lastStateRender = 0;
    this.scheduler.request();
  }

  private showTab(tab: Tab): void {
    this.tab = tab;
    this.main.dataset.view = tab;
    for (const [name, link] of this.tabs) setAttr(link, "aria-selected", String(name === tab));
    this.markAllDirty();
  }

  private onChoice(next: SubscriptionChoice, previous: SubscriptionChoice): void {
    this.choice = next;
    saveChoice(next);
    void this.subscriptions.change(previous, next);
  }

  private async pollStatus(): Promise<void> {
    try {
      const status = await getJson<Record<string, unknown>>("/status");
      const parts = ["docker", "storage", "websocket"]
        .filter((k) => typeof status[k] === "string")
        .map((k) => `${k} ${String(status[k])}`);
      setText(this.serverHealth, parts.join(" · "));
      setAttr(this.serverHealth, "data-docker", String(status.docker ?? ""));
      // Until the first container_stats arrives, /status is what tells whether Docker is there.
      if (typeof status.docker === "string" && this.state.dockerStatus === undefined) {
        this.state.dockerStatus = status.docker;
        this.state.dirty.add("containers");
        this.scheduler.request();
      }
    } catch (err) {
      if (err instanceof UnauthorizedError && err.usedToken === getToken()) void this.askToken("The monitor answered 401: it needs a token.");
      // Otherwise the connection badge already tells that the monitor is unreachable.
    }
  }

  private async askToken(reason: string): Promise<void> {
    if (this.promptOpen) return;
    this.promptOpen = true;
    const hadToken = !!getToken();
    await this.prompt.ask(hadToken ? `The stored token was refused (${reason}).` : reason);
    this.promptOpen = false;
    // The auth callback reads the new token at the next handshake.
    if (this.connection.socket.connected) this.connection.restart();
    else this.connection.connectNow();
    void this.pollStatus();
  }

  private showNotice(text: string): void {
    setText(this.notice, text);
    this.notice.hidden = false;
  }

  private hideNotice(): void {
    this.notice.hidden = true;
  }
}

function tabFromHash(): Tab {
  const name = window.location.hash.replace(/^#/, "");
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : "overview";
}
