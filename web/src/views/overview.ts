import { h, setAttr, setText } from "../dom";
import type { EventLog } from "../eventLog";
import { formatCount, formatPercent } from "../format";
import type { MonitorState } from "../monitorState";

/** The at-a-glance strip: the handful of numbers a user checks first. */
export class OverviewStrip {
  readonly element: HTMLElement;
  private readonly values = new Map<string, HTMLElement>();
  /** Arrival counts per second over the last few seconds, for a steady events/s figure. */
  private readonly arrivals: number[] = [];
  private lastSeq = 0;

  constructor(
    private readonly state: MonitorState,
    private readonly log: EventLog,
  ) {
    const kpi = (key: string, label: string, view: string) => {
      const value = h("strong", { "data-field": key });
      this.values.set(key, value);
      return h("a", { class: "kpi", href: `#${view}`, "data-testid": `kpi-${key}` }, h("span", { class: "kpi-inner" }, value, h("span", { class: "muted" }, label)));
    };
    this.element = h(
      "div",
      { class: "kpis", "data-testid": "overview" },
      kpi("agents", "active agents", "agents"),
      kpi("sessions", "active sessions", "sessions"),
      kpi("rate", "events / s", "timeline"),
      kpi("cpu", "host CPU", "host"),
      kpi("memory", "host memory", "host"),
      kpi("containers", "containers", "containers"),
    );
  }

  /** Called once a second. */
  sample(): void {
    const seq = this.log.seq;
    this.arrivals.push(this.lastSeq === 0 ? 0 : seq - this.lastSeq);
    this.lastSeq = seq;
    if (this.arrivals.length > 5) this.arrivals.shift();
  }

  render(): void {
    const agents = [...this.state.agents.values()];
    const sessions = [...this.state.sessions.values()];
    this.set("agents", `${agents.filter((a) => a.status === "active").length}/${agents.length}`);
    this.set("sessions", `${sessions.filter((s) => s.status !== "ended").length}/${sessions.length}`);
    const rate = this.arrivals.length ? this.arrivals.reduce((a, b) => a + b, 0) / this.arrivals.length : 0;
    this.set("rate", rate >= 10 ? formatCount(Math.round(rate)) : rate.toFixed(1));
    const sys = this.state.host.latest;
    this.set("cpu", formatPercent(sys?.cpu_percent, 0));
    this.set("memory", sys?.memory_total ? formatPercent(((sys.memory_used ?? 0) / sys.memory_total) * 100, 0) : "–");
    const containers = [...this.state.containers.values()];
    const docker = this.state.dockerStatus;
    this.set("containers", containers.length || docker !== "unavailable" ? `${containers.filter((c) => c.present).length}/${containers.length}` : "n/a");
  }

  private set(key: string, text: string): void {
    const el = this.values.get(key)!;
    setText(el, text);
    setAttr(el, "data-value", text);
  }
}
