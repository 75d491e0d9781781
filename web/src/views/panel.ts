import { h } from "../dom";

/** A titled panel shell shared by the views: header with a count, body, and an empty-state note. */
export function panel(name: string, title: string, empty: HTMLElement, body: HTMLElement): { element: HTMLElement; count: HTMLSpanElement } {
  const count = h("span", { class: "muted count", "data-testid": `${name}-count` });
  const element = h(
    "section",
    { class: `panel panel-${name}`, "data-testid": `view-${name}`, "data-panel": name },
    h(
      "div",
      { class: "panel-inner" },
      h("header", { class: "panel-head" }, h("h2", null, title), count),
      h("div", { class: "panel-body" }, empty, body),
    ),
  );
  return { element, count };
}

export function emptyState(name: string, ...content: (Node | string)[]): HTMLElement {
  return h("div", { class: "empty", "data-testid": `empty-${name}` }, ...content);
}

export function code(text: string): HTMLElement {
  return h("code", null, text);
}

const fieldCache = new WeakMap<HTMLElement, Record<string, HTMLElement>>();

/** A row's `data-field` children by name, looked up once per row (rows are updated every frame). */
export function fields(row: HTMLElement): Record<string, HTMLElement> {
  let out = fieldCache.get(row);
  if (!out) {
    out = {};
    for (const el of row.querySelectorAll<HTMLElement>("[data-field]")) out[el.dataset.field!] = el;
    fieldCache.set(row, out);
  }
  return out;
}
