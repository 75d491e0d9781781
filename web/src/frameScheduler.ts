/** How long a request may wait when no animation frame comes (a hidden tab gets none). */
const FALLBACK_MS = 250;

/**
 * Coalesces work into one callback per animation frame: however many events arrive between two
 * frames, the DOM is touched once. A timer backs up every request, so a tab that is hidden (and so
 * gets no frames) still drains its queue instead of letting it grow.
 */
export class FrameScheduler {
  private pending = false;
  private frame = 0;
  private timer: number | undefined;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.frame = requestAnimationFrame(this.run);
    this.timer = window.setTimeout(this.run, FALLBACK_MS);
  }

  private readonly run = (): void => {
    if (!this.pending) return;
    this.pending = false;
    cancelAnimationFrame(this.frame);
    window.clearTimeout(this.timer);
    this.work();
  };
}
