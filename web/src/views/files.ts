import { h, renderPositional, setAttr, setText } from "../dom";
import { formatBytes, formatCount, formatRelative } from "../format";
import type { FileView, MonitorState } from "../monitorState";
import { code, emptyState, fields, panel } from "./panel";

/** Rows drawn in the Files tab and in the overview's small panel. */
const SHOWN = 200;
const SHOWN_COMPACT = 30;

/** Files the agents touched, most recent first: last operation, by whom, size and how often. */
export class FilesView {
  readonly element: HTMLElement;
  private readonly list = h("div", { class: "rows", role: "list" });
  private readonly empty = emptyState(
    "files",
    "No file operations yet — with ",
    code("mpm hooks install"),
    " in place, every Read, Write and Edit by Claude Code is listed here (paths and sizes only, never contents).",
  );
  private readonly count: HTMLSpanElement;

  constructor(private readonly state: MonitorState) {
    ({ element: this.element, count: this.count } = panel("files", "Files", this.empty, this.list));
  }

  render(now: number, compact: boolean): void {
    // The map is kept least-recently-touched first, so the newest are at its end.
    const all = [...this.state.files.values()];
    const files = all.slice(-(compact ? SHOWN_COMPACT : SHOWN)).reverse();
    setText(this.count, all.length ? `${formatCount(all.length)} files` : "");
    this.empty.hidden = files.length > 0;
    renderPositional(this.list, files, createRow, (el, f) => updateRow(el, f, now));
  }
}

function createRow(): HTMLElement {
  return h(
    "div",
    { class: "row two-line file-row", role: "listitem", "data-testid": "file-row" },
    h(
      "div",
      { class: "line" },
      h("span", { class: "badge op", "data-field": "op" }),
      h("span", { class: "path mono" }, h("span", { class: "dir", "data-field": "dir" }), h("span", { class: "base", "data-field": "base" })),
      h("span", { class: "muted when", "data-field": "seen" }),
    ),
    h(
      "div",
      { class: "line meta muted" },
      h("span", { "data-field": "agent" }),
      h("span", { class: "num", "data-field": "size" }),
      h("span", { class: "num", "data-field": "count", title: "operations" }),
    ),
  );
}

function updateRow(el: HTMLElement, file: FileView, now: number): void {
  const f = fields(el);
  const slash = file.path.lastIndexOf("/");
  setAttr(el, "data-file", file.path);
  setAttr(el, "title", file.path);
  setText(f.dir!, file.path.slice(0, slash + 1));
  setText(f.base!, file.path.slice(slash + 1));
  setText(f.op!, file.operation);
  setAttr(f.op!, "data-op", file.operation);
  setAttr(el, "data-operation", file.operation);
  setText(f.agent!, file.agent ?? "unknown agent");
  setText(f.size!, file.size === undefined ? "" : formatBytes(file.size));
  setText(f.count!, `${formatCount(file.count)} op${file.count === 1 ? "" : "s"}`);
  setText(f.seen!, formatRelative(file.lastSeen, now));
}
