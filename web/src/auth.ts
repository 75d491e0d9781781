import { h } from "./dom";
import { readSetting, writeSetting } from "./settings";

const TOKEN_KEY = "mpm.monitor.token";

export function getToken(): string | undefined {
  return readSetting(TOKEN_KEY) || undefined;
}

export function setToken(token: string | undefined): void {
  writeSetting(TOKEN_KEY, token ? token : null);
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Accepts a token handed over in the URL fragment (`#token=...`, as a printed link may carry it),
 * stores it and removes it from the address bar so it does not linger in history.
 */
export function adoptTokenFromUrl(): void {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const token = params.get("token");
  if (!token) return;
  setToken(token);
  params.delete("token");
  const rest = params.toString();
  history.replaceState(null, "", window.location.pathname + window.location.search + (rest ? `#${rest}` : ""));
}

export function isAuthError(message: string): boolean {
  return /unauthori[sz]ed|token|401|forbidden/i.test(message);
}

/** A modal that asks for the monitor's token; at most one is open, later requests share it. */
export class TokenPrompt {
  private readonly dialog: HTMLDialogElement;
  private readonly input: HTMLInputElement;
  private readonly message: HTMLParagraphElement;
  private pending: Promise<string> | null = null;
  private resolve: ((token: string) => void) | null = null;

  constructor(root: HTMLElement) {
    this.input = h("input", {
      type: "password",
      autocomplete: "current-password",
      placeholder: "monitor token",
      required: true,
      "data-testid": "token-input",
      "aria-label": "Monitor token",
    });
    this.message = h("p", { class: "muted", "data-testid": "token-message" });
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", null, "This monitor needs a token"),
      this.message,
      h("p", { class: "muted" }, "It is the monitor's auth.token (or $MPM_MONITOR_TOKEN). It is kept in this browser only."),
      // Browsers expect a user name beside a password field (for password managers).
      h("input", { type: "text", name: "username", autocomplete: "username", value: "mpm-monitor", hidden: true, "aria-hidden": "true" }),
      this.input,
      h("div", { class: "dialog-actions" }, h("button", { type: "submit", class: "primary", "data-testid": "token-submit" }, "Connect")),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const token = this.input.value.trim();
      if (!token) return;
      setToken(token);
      this.dialog.close();
      const resolve = this.resolve;
      this.pending = null;
      this.resolve = null;
      resolve?.(token);
    });
    this.dialog = h("dialog", { class: "token-dialog", "data-testid": "token-dialog" }, form);
    // Escape would leave the page unusable without a token: keep the dialog open.
    this.dialog.addEventListener("cancel", (ev) => ev.preventDefault());
    root.append(this.dialog);
  }

  ask(reason: string): Promise<string> {
    this.message.textContent = reason;
    if (!this.pending) {
      this.pending = new Promise<string>((resolve) => (this.resolve = resolve));
      this.input.value = "";
      this.dialog.showModal();
      this.input.focus();
    }
    return this.pending;
  }
}
