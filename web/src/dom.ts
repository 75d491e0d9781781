// A tiny element builder: enough to keep the views declarative without a framework's weight.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === "class") {
        el.className = String(value);
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Writes text only when it changed, so a steady row costs no DOM mutation per frame. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * Reconciles a container's children with a keyed list: rows are created once, updated in place and
 * moved only when the order changed. Returns nothing; rows carry their key in `data-key`.
 */
export function reconcile<T>(
  container: HTMLElement,
  items: readonly T[],
  keyOf: (item: T) => string,
  create: (item: T) => HTMLElement,
  update: (el: HTMLElement, item: T) => void,
  rows: Map<string, HTMLElement>,
): void {
  const wanted = new Set<string>();
  let cursor: ChildNode | null = container.firstChild;
  for (const item of items) {
    const key = keyOf(item);
    wanted.add(key);
    let el = rows.get(key);
    if (!el) {
      el = create(item);
      rows.set(key, el);
    }
    update(el, item);
    if (el !== cursor) container.insertBefore(el, cursor);
    else cursor = cursor.nextSibling;
  }
  for (const [key, el] of rows) {
    if (!wanted.has(key)) {
      el.remove();
      rows.delete(key);
    }
  }
}
