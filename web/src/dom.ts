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

/**
 * Writes text only when it changed, so a steady row costs no DOM mutation per frame; an existing
 * text node is edited in place rather than replaced, which is cheaper for layout.
 */
export function setText(el: Element, text: string): void {
  const node = el.firstChild;
  if (node && node === el.lastChild && node.nodeType === Node.TEXT_NODE) {
    if ((node as Text).data !== text) (node as Text).data = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
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

/**
 * Renders a list by position: row i always shows item i, so a list whose order churns (files under a
 * flood of operations) costs text updates only, never row creation or moves.
 */
export function renderPositional<T>(
  container: HTMLElement,
  items: readonly T[],
  create: () => HTMLElement,
  update: (el: HTMLElement, item: T) => void,
): void {
  const rows = container.children;
  while (rows.length > items.length) rows[rows.length - 1]!.remove();
  while (rows.length < items.length) container.append(create());
  for (let i = 0; i < items.length; i++) update(rows[i] as HTMLElement, items[i]!);
}
