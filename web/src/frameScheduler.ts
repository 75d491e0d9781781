/**
 * Coalesces work into one callback per animation frame: however many events arrive between two
 * frames, the DOM is touched once. A hidden tab gets no animation frames, so there a timer drains
 * the work instead and the incoming queue cannot grow without bound.
 */
export class FrameScheduler {
  private pending = false;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    const run = () => {
      this.pending = false;
      this.work();
    };
    if (document.hidden) window.setTimeout(run, 250);
    else requestAnimationFrame(run);
  }
}
