import { h, reconcile, setAttr, setText } from "../dom";
import { formatBytes, formatDuration, formatPercent, formatRate } from "../format";
import type { MonitorState } from "../monitorState";
import { Sparkline } from "../sparkline";
import type { ProcessSample } from "../types";
import { emptyState, panel } from "./panel";

/** The host: CPU, memory, disk, load, network rates and the busiest processes. */
export class HostView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty = emptyState(
    "host",
    "Waiting for the first host sample — it arrives every metrics interval (5 s by default) while ",
    h("code", null, "monitoring.metrics.enabled"),
    " is true.",
  );
  private readonly count: HTMLSpanElement;
  private readonly cpuLine = new Sparkline("--chart-cpu", "CPU history", 100);
  private readonly memLine = new Sparkline("--chart-mem", "memory history", 100);
  private readonly netLine = new Sparkline("--chart-net", "network receive rate history");
  private readonly values: Record<string, HTMLElement> = {};
  private readonly diskBar = h("div", { class: "gauge-fill" });
  private readonly diskGauge = h("div", { class: "gauge", role: "meter", "aria-label": "disk used" }, this.diskBar);
  private readonly nics = h("ul", { class: "plain", "data-testid": "host-interfaces" });
  private readonly procs = h("tbody");
  private readonly procRows = new Map<string, HTMLElement>();

  constructor(private readonly state: MonitorState) {
    const v = (name: string) => (this.values[name] = h("strong", { "data-testid": `host-${name}-value` }));
    const sub = (name: string) => (this.values[name] = h("div", { class: "muted small" }));
    this.body = h(
      "div",
      { class: "host-grid" },
      h("div", { class: "tile", "data-testid": "host-cpu" }, h("div", { class: "metric-label" }, "CPU ", v("cpu")), this.cpuLine.canvas),
      h("div", { class: "tile", "data-testid": "host-memory" }, h("div", { class: "metric-label" }, "Memory ", v("memory")), this.memLine.canvas, sub("memoryDetail")),
      h("div", { class: "tile", "data-testid": "host-disk" }, h("div", { class: "metric-label" }, "Disk ", v("disk")), this.diskGauge, sub("diskDetail")),
      h("div", { class: "tile", "data-testid": "host-load" }, h("div", { class: "metric-label" }, "Load ", v("load")), sub("uptime")),
      h("div", { class: "tile", "data-testid": "host-network" }, h("div", { class: "metric-label" }, "Network ", v("network")), this.netLine.canvas, this.nics),
      h(
        "div",
        { class: "tile wide", "data-testid": "host-processes" },
        h("div", { class: "metric-label" }, "Top processes"),
        h("table", { class: "procs" }, h("thead", null, h("tr", null, h("th", null, "process"), h("th", null, "pid"), h("th", null, "cpu"), h("th", null, "mem"))), this.procs),
      ),
    );
    ({ element: this.element, count: this.count } = panel("host", "Host", this.empty, this.body));
  }

  render(): void {
    const host = this.state.host;
    const s = host.latest;
    this.empty.hidden = !!s;
    this.body.hidden = !s;
    if (!s) return;
    const hostName = typeof s === "object" && "host" in s ? String((s as { host?: unknown }).host ?? "") : "";
    setText(this.count, hostName);
    setText(this.values.cpu!, formatPercent(s.cpu_percent));
    const memPct = s.memory_total ? ((s.memory_used ?? 0) / s.memory_total) * 100 : undefined;
    setText(this.values.memory!, formatPercent(memPct));
    setText(this.values.memoryDetail!, `${formatBytes(s.memory_used)} of ${formatBytes(s.memory_total)}`);
    const diskPct = s.disk_total ? ((s.disk_used ?? 0) / s.disk_total) * 100 : undefined;
    setText(this.values.disk!, formatPercent(diskPct));
    setText(this.values.diskDetail!, `${formatBytes(s.disk_used)} of ${formatBytes(s.disk_total)}`);
    setAttr(this.diskBar, "style", `width:${(diskPct ?? 0).toFixed(1)}%`);
    setAttr(this.diskGauge, "data-level", diskPct === undefined ? "unknown" : diskPct >= 90 ? "critical" : diskPct >= 75 ? "warning" : "ok");
    const load = s.load_avg;
    setText(this.values.load!, load ? [load["1m"], load["5m"], load["15m"]].map((x) => (typeof x === "number" ? x.toFixed(2) : "–")).join("  ") : "–");
    setText(this.values.uptime!, `1, 5, 15 min · up ${formatDuration(s.uptime)}`);
    const recv = host.totalRecv.last();
    const sent = host.totalSent.last();
    setText(this.values.network!, recv === undefined ? "measuring…" : `↓${formatRate(recv)} ↑${formatRate(sent)}`);
    const nicKey = host.rates.map((r) => `${r.name}:${Math.round(r.recvPerSecond)}:${Math.round(r.sentPerSecond)}`).join("|");
    if (this.nics.dataset.key !== nicKey) {
      this.nics.dataset.key = nicKey;
      this.nics.replaceChildren(
        ...host.rates.map((r) =>
          h(
            "li",
            { "data-interface": r.name, class: r.loopback ? "muted" : undefined, title: r.loopback ? "loopback: not counted in the total" : undefined },
            h("span", { class: "mono" }, r.name),
            ` ↓${formatRate(r.recvPerSecond)} ↑${formatRate(r.sentPerSecond)}`,
          ),
        ),
      );
    }
    this.cpuLine.draw(host.cpu);
    this.memLine.draw(host.memory);
    this.netLine.draw(host.totalRecv);
    const procs = (Array.isArray(s.top_processes) ? s.top_processes : []).slice(0, 10);
    reconcile(this.procs, procs, (p) => `${p.pid}:${p.name}`, createProcRow, updateProcRow, this.procRows);
  }
}

function createProcRow(p: ProcessSample): HTMLElement {
  return h("tr", { "data-pid": p.pid ?? "" }, h("td", { class: "mono" }, p.name ?? "?"), h("td", { class: "num" }, p.pid ?? ""), h("td", { class: "num" }), h("td", { class: "num" }));
}

function updateProcRow(el: HTMLElement, p: ProcessSample): void {
  const cells = el.children;
  setText(cells[2]!, formatPercent(p.cpu));
  // `mem` is a percentage when at most 100 and fractional, bytes otherwise.
  setText(cells[3]!, typeof p.mem === "number" && p.mem <= 100 ? formatPercent(p.mem) : formatBytes(p.mem));
}
