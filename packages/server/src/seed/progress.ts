/**
 * A progress bar for long seeding runs, written to stderr by the CLI. On a terminal it redraws one line per phase
 * (throttled); elsewhere (CI logs, pipes) it prints a line at every 10% so logs stay short.
 */

export type ProgressCallback = (done: number, total: number, phase: string) => void;

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Force the terminal or the line-per-10% form; default: the stream's isTTY. */
  tty?: boolean;
  /** Minimum ms between redraws on a terminal. */
  intervalMs?: number;
  /** Time source for throttling and the rate shown (tests inject one). */
  now?: () => number;
}

const fmt = new Intl.NumberFormat('en-US');

export function createProgressBar(stream: ProgressStream, opts: ProgressBarOptions = {}): ProgressCallback {
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const interval = opts.intervalMs ?? 100;
  const clock = opts.now ?? (() => performance.now());
  let phase: string | null = null;
  let phaseStart = 0;
  let lastDraw = -Infinity;
  let lastDecile = -1;
  let open = false; // a terminal line is drawn and not yet ended

  const endLine = () => {
    if (open) stream.write('\n');
    open = false;
  };

  return (done, total, name) => {
    const t = clock();
    if (name !== phase) {
      endLine();
      phase = name;
      phaseStart = t;
      lastDraw = -Infinity;
      lastDecile = -1;
    }
    const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    const finished = done >= total;
    const counts = `${fmt.format(done)}/${fmt.format(total)}`;
    const secs = (t - phaseStart) / 1000;
    const rate = secs > 0.5 && done > 0 ? ` ${fmt.format(Math.round(done / secs))}/s` : '';

    if (!tty) {
      const decile = finished ? 10 : Math.floor(ratio * 10);
      if (decile <= lastDecile) return;
      lastDecile = decile;
      stream.write(`seed ${name}: ${decile * 10}% (${counts})${rate}\n`);
      return;
    }

    if (!finished && t - lastDraw < interval) return;
    lastDraw = t;
    const label = `${name.padEnd(8)} `;
    const tail = ` ${String(Math.floor(ratio * 100)).padStart(3)}% ${counts}${rate}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - tail.length - 2));
    const filled = Math.round(ratio * width);
    stream.write(`\r${label}[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${tail}\x1b[K`);
    open = true;
    if (finished) endLine();
  };
}
