import type { RingBuffer } from "./ringBuffer";

const MIN_POINTS = 30;

/**
 * A canvas sparkline: one path per draw, sized to its element, no library. `max` fixes the scale
 * (e.g. 100 for percentages); without it the series' own maximum is used.
 */
export class Sparkline {
  readonly canvas: HTMLCanvasElement;
  private lastKey = "";
  private width = 0;
  private height = 0;

  constructor(
    private readonly colorVar: string,
    label: string,
    private readonly max?: number,
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "sparkline";
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", label);
    // Sizes come from an observer so drawing never forces a layout in the middle of a frame.
    new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (!box) return;
      this.width = box.width;
      this.height = box.height;
    }).observe(this.canvas);
  }

  draw(series: RingBuffer<number>): void {
    const canvas = this.canvas;
    const { width, height } = this;
    if (width === 0 || height === 0) return;
    const key = `${series.version}:${width}x${height}:${DARK.matches}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const n = series.length;
    if (n === 0) return;
    let top = this.max ?? 0;
    if (this.max === undefined) for (let i = 0; i < n; i++) top = Math.max(top, series.at(i) ?? 0);
    if (top <= 0) top = 1;
    // The x scale grows with the history (at least MIN_POINTS wide) so a young series is not a speck.
    const step = width / (Math.max(n, MIN_POINTS) - 1);
    const x0 = width - (n - 1) * step;
    const y = (v: number) => height - 1 - (Math.min(Math.max(v, 0), top) / top) * (height - 2);
    const color = themeColor(this.colorVar);
    ctx.beginPath();
    ctx.moveTo(n === 1 ? 0 : x0, y(series.at(0) ?? 0));
    for (let i = 1; i < n; i++) ctx.lineTo(x0 + i * step, y(series.at(i) ?? 0));
    if (n === 1) ctx.lineTo(width, y(series.at(0) ?? 0));
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineTo(x0 + (n - 1) * step, height);
    ctx.lineTo(n === 1 ? 0 : x0, height);
    ctx.closePath();
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
  }
}

const DARK = window.matchMedia("(prefers-color-scheme: dark)");
const colors = new Map<string, string>();
let colorsFor: boolean | undefined;

/**
 * A theme colour from the CSS custom properties, read once per colour scheme: reading computed style
 * during a frame's writes would force a style recalculation per chart.
 */
function themeColor(name: string): string {
  const dark = DARK.matches;
  if (dark !== colorsFor) {
    colors.clear();
    colorsFor = dark;
  }
  let color = colors.get(name);
  if (!color) {
    color = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#4a90d9";
    colors.set(name, color);
  }
  return color;
}
