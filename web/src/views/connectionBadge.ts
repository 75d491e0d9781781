import { h, setAttr, setText } from "../dom";
import type { ConnectionStatus } from "../connection";

const LABELS: Record<ConnectionStatus["state"], string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
  unauthorized: "Token needed",
};

/** The always-visible connection state, with a countdown to the next retry and a "retry now". */
export class ConnectionBadge {
  readonly element: HTMLElement;
  private readonly label = h("span", { class: "conn-label", "data-testid": "connection-label" });
  private readonly retry: HTMLButtonElement;
  private status: ConnectionStatus = { state: "connecting", attempt: 0 };

  constructor(onRetry: () => void) {
    this.retry = h("button", { type: "button", class: "link", "data-testid": "connection-retry", hidden: true, onclick: onRetry }, "retry now");
    this.element = h(
      "div",
      { class: "conn", "data-testid": "connection-status", "data-state": "connecting", role: "status", "aria-live": "polite" },
      h("span", { class: "conn-dot" }),
      this.label,
      this.retry,
    );
  }

  update(status: ConnectionStatus): void {
    this.status = status;
    this.tick(Date.now());
  }

  /** Called every second so the countdown moves. */
  tick(now: number): void {
    const s = this.status;
    setAttr(this.element, "data-state", s.state);
    let text = LABELS[s.state];
    if (s.retryAt !== undefined && (s.state === "reconnecting" || s.state === "offline")) {
      const seconds = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
      text += seconds > 0 ? ` · retry in ${seconds}s` : " · retrying…";
      setAttr(this.element, "data-retry-in", String(seconds));
    } else {
      this.element.removeAttribute("data-retry-in");
    }
    setText(this.label, text);
    setAttr(this.element, "title", s.detail ?? "");
    this.retry.hidden = !(s.state === "reconnecting" || s.state === "offline") || s.retryAt === undefined;
  }
}
