import { h, setText } from "../dom";
import { isShown, withAll, withType, type SubscriptionChoice } from "../subscriptions";
import { KNOWN_EVENT_TYPES } from "../types";

/** Checkboxes for the event types the server should send ("all" = `*`). */
export class SubscriptionPicker {
  readonly element: HTMLDetailsElement;
  private readonly allBox: HTMLInputElement;
  private readonly options = h("div", { class: "sub-options" });
  private readonly summary = h("span", { "data-testid": "subscription-summary" });
  private readonly serverNote = h("p", { class: "muted small", "data-testid": "subscription-server" });
  private readonly boxes = new Map<string, HTMLInputElement>();

  constructor(
    private choice: SubscriptionChoice,
    private readonly onChange: (next: SubscriptionChoice, previous: SubscriptionChoice) => void,
  ) {
    this.allBox = h("input", { type: "checkbox", "data-testid": "subscription-all", "data-event-type": "*" });
    this.allBox.addEventListener("change", () => this.set(withAll(this.choice, this.allBox.checked, this.types())));
    this.element = h(
      "details",
      { class: "sub-picker", "data-testid": "subscription-picker" },
      h("summary", { class: "button" }, "Events:\u00a0", this.summary),
      h(
        "div",
        { class: "popover" },
        h("label", { class: "check strong" }, this.allBox, " All events (including custom)"),
        this.options,
        this.serverNote,
      ),
    );
    for (const type of KNOWN_EVENT_TYPES) this.addType(type);
    this.sync();
    // A popover closes when the user clicks elsewhere or presses Escape.
    document.addEventListener("click", (ev) => {
      if (this.element.open && !this.element.contains(ev.target as Node)) this.element.open = false;
    });
    this.element.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.element.open = false;
    });
  }

  /** Offers a checkbox for a custom event name once it has been seen. */
  addType(type: string): void {
    if (this.boxes.has(type)) return;
    const box = h("input", { type: "checkbox", "data-testid": "subscription-option", "data-event-type": type });
    box.addEventListener("change", () => this.set(withType(this.choice, type, box.checked)));
    this.boxes.set(type, box);
    this.options.append(h("label", { class: "check" }, box, " ", h("span", { class: "mono" }, type)));
    box.checked = isShown(this.choice, type);
  }

  showServerReply(text: string, ok: boolean): void {
    setText(this.serverNote, `Server sends: ${text}`);
    this.serverNote.classList.toggle("warn", !ok);
  }

  private types(): string[] {
    return [...this.boxes.keys()];
  }

  private set(next: SubscriptionChoice): void {
    const previous = this.choice;
    this.choice = next;
    this.sync();
    this.onChange(next, previous);
  }

  private sync(): void {
    this.allBox.checked = this.choice.all;
    // "All but some" is neither all nor none.
    this.allBox.indeterminate = this.choice.all && this.choice.except.length > 0;
    for (const [type, box] of this.boxes) box.checked = isShown(this.choice, type);
    const c = this.choice;
    setText(this.summary, c.all ? (c.except.length ? `all but ${c.except.length}` : "all") : `${c.only.length} types`);
  }
}
