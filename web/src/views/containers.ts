import { h, reconcile, setAttr, setText } from "../dom";
import { formatBytes, formatClock, formatPercent } from "../format";
import type { ContainerView, MonitorState } from "../monitorState";
import { Sparkline } from "../sparkline";
import { code, emptyState, fields, panel } from "./panel";

interface ContainerCard {
  el: HTMLElement;
  cpu: Sparkline;
  memory: Sparkline;
}

/** Containers: CPU and memory over time, limits, status and recent lifecycle events. */
export class ContainersView {
  readonly element: HTMLElement;
  private readonly list = h("div", { class: "cards", role: "list" });
  private readonly emptyText = h("span", null);
  private readonly empty = emptyState("containers", this.emptyText);
  private readonly count: HTMLSpanElement;
  private readonly rows = new Map<string, HTMLElement>();
  private readonly cards = new WeakMap<HTMLElement, ContainerCard>();

  constructor(private readonly state: MonitorState) {
    ({ element: this.element, count: this.count } = panel("containers", "Containers", this.empty, this.list));
  }

  render(): void {
    const containers = [...this.state.containers.values()].sort(
      (a, b) => Number(b.present) - Number(a.present) || a.name.localeCompare(b.name),
    );
    const running = containers.filter((c) => c.present).length;
    setText(this.count, containers.length ? `${running} running / ${containers.length}` : "");
    this.empty.hidden = containers.length > 0;
    if (!containers.length) this.describeEmpty();
    reconcile(this.list, containers, (c) => c.id, (c) => this.createCard(c), (el, c) => this.updateCard(el, c), this.rows);
  }

  private describeEmpty(): void {
    const docker = this.state.dockerStatus;
    if (docker === "disabled") {
      this.emptyText.replaceChildren(
        "Container monitoring is off. Set ",
        code("monitoring.docker.enabled: true"),
        " and restart the monitor to see each container's CPU and memory here.",
      );
    } else if (docker === "unavailable") {
      this.emptyText.replaceChildren(
        "Docker is unavailable. Start the Docker daemon (or set ",
        code("monitoring.docker.endpoint"),
        ") and containers appear here with their CPU and memory.",
      );
    } else {
      this.emptyText.replaceChildren("No containers running. Start one (", code("docker run ..."), ") and it appears here with live CPU and memory.");
    }
  }

  private createCard(c: ContainerView): HTMLElement {
    const cpu = new Sparkline("--chart-cpu", `CPU history of ${c.name}`);
    const memory = new Sparkline("--chart-mem", `memory history of ${c.name}`);
    const el = h(
      "div",
      { class: "card container-card", role: "listitem", "data-testid": "container-row", "data-container-id": c.id },
      h(
        "div",
        { class: "card-head" },
        h("span", { class: "name", "data-field": "name" }),
        h("span", { class: "badge", "data-field": "status" }),
        h("span", { class: "muted mono image", "data-field": "image" }),
      ),
      h(
        "div",
        { class: "metric-pair" },
        h("div", { class: "metric" }, h("div", { class: "metric-label" }, "CPU ", h("strong", { "data-field": "cpu" })), cpu.canvas),
        h("div", { class: "metric" }, h("div", { class: "metric-label" }, "Memory ", h("strong", { "data-field": "mem" })), memory.canvas),
      ),
      h("div", { class: "card-line muted", "data-field": "extra" }),
      h("ul", { class: "lifecycle", "data-testid": "container-lifecycle", "data-field": "lifecycle" }),
    );
    this.cards.set(el, { el, cpu, memory });
    return el;
  }

  private updateCard(el: HTMLElement, c: ContainerView): void {
    const card = this.cards.get(el)!;
    const f = fields(el);
    const s = c.latest;
    setText(f.name!, c.name);
    setText(f.status!, c.status);
    setAttr(el, "data-status", c.status);
    setAttr(el, "data-present", String(c.present));
    setText(f.image!, c.image);
    setText(f.cpu!, c.present ? formatPercent(s?.cpu_percent) : "–");
    const limit = s?.memory_limit ? ` / ${formatBytes(s.memory_limit)}` : "";
    setText(f.mem!, c.present ? `${formatBytes(s?.memory_usage)}${limit}` : "–");
    const net = s?.network ? `net ↓${formatBytes(s.network.rx_bytes)} ↑${formatBytes(s.network.tx_bytes)}` : "";
    const pids = s?.pids !== undefined ? `${s.pids} pids` : "";
    const block = s?.block_read !== undefined ? `disk r ${formatBytes(s.block_read)} w ${formatBytes(s.block_write)}` : "";
    setText(f.extra!, [pids, net, block].filter(Boolean).join(" · "));
    card.cpu.draw(c.cpu);
    card.memory.draw(c.memory);
    const lifecycle = c.lifecycle.toArray().reverse().slice(0, 4);
    const key = lifecycle.map((l) => l.timestamp + l.action).join("|");
    if (f.lifecycle!.dataset.key !== key) {
      f.lifecycle!.dataset.key = key;
      f.lifecycle!.replaceChildren(
        ...lifecycle.map((l) => h("li", { "data-action": l.action }, h("span", { class: "badge" }, l.action), " ", h("span", { class: "muted" }, formatClock(l.timestamp)))),
      );
    }
  }
}
