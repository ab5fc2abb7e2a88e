// A progress bar with rate and ETA on stderr: redrawn in place on a terminal, a line every few seconds otherwise.

const WIDTH = 28;

export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private drawnAt = 0;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    /** Where the bar goes; null draws nothing (the rate is still measured). */
    private readonly stream: NodeJS.WriteStream | null = process.stderr,
  ) {
    this.tty = Boolean(stream?.isTTY);
  }

  tick(count: number): void {
    this.done += count;
    const now = performance.now();
    if (now - this.drawnAt >= (this.tty ? 200 : 5000)) {
      this.drawnAt = now;
      this.draw(now);
    }
  }

  /** Prints the final line and answers the elapsed milliseconds and the mean rate. */
  finish(): { ms: number; perSecond: number } {
    const now = performance.now();
    this.draw(now, true);
    const ms = now - this.started;
    return { ms, perSecond: ms > 0 ? (this.done / ms) * 1000 : 0 };
  }

  private draw(now: number, final = false): void {
    if (!this.stream) return;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(share * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const eta = final
      ? `in ${seconds.toFixed(1)}s`
      : rate > 0
        ? `ETA ${Math.ceil((this.total - this.done) / rate)}s`
        : '';
    const line = `${this.label.padEnd(14)} ${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${format(this.done)}/${format(this.total)}  ${format(Math.round(rate))}/s  ${eta}`;
    this.stream?.write(this.tty ? `\r${line}\u001b[K${final ? '\n' : ''}` : `${line}\n`);
  }
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}
