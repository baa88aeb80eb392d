/**
 * SQLite's write-ahead log is folded back into the database file by checkpoints. Left to SQLite, a checkpoint runs
 * inside the commit that crosses 1,000 WAL pages, on the server's only thread: it copies those pages and syncs the
 * file (with `synchronous = NORMAL`, the one sync there is), and every request waiting on that commit waits for it.
 *
 * Instead the server's connection never checkpoints (`wal_autocheckpoint = 0`) and a worker thread with a connection
 * of its own runs PASSIVE checkpoints: every `intervalMs`, on the machine's other core. A passive checkpoint never
 * waits for or blocks the writer; it copies what it may, and once the log is fully copied the next write starts the
 * log over from the beginning, so the WAL stays about as large as what is written between two checkpoints.
 * Durability is unchanged: a commit is in the WAL when it returns, and the checkpoint's sync covers what it copied.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: CommonJS run from a string, so the server's bundle (packages/testing) needs no file of its own. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    // SQLITE_BUSY (another checkpoint) or a locked file: the next tick tries again.
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface CheckpointStats {
  /** Checkpoints the worker ran. */
  runs: number;
  /** WAL frames (pages) at the last one, and how many of them it had copied into the database file. */
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  readonly stats: CheckpointStats = { runs: 0, log: 0, checkpointed: 0 };
  private readonly worker: Worker;
  private stopping: Promise<void> | null = null;

  /** Starts checkpointing `file`, which must exist and be in WAL mode (the server's connection opened it). */
  constructor(file: string, intervalMs = 100) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, intervalMs, driver } });
    // A checkpointer must never keep the process alive on its own.
    this.worker.unref();
    this.worker.on('message', (m: { log: number; checkpointed: number } | 'stopped') => {
      if (m === 'stopped') return;
      this.stats.runs++;
      this.stats.log = m.log;
      this.stats.checkpointed = m.checkpointed;
    });
    this.worker.on('error', () => undefined);
  }

  /** Stops the worker after its current checkpoint; the caller's connection may then checkpoint and close. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('exit', done);
      this.worker.on('message', (m) => {
        if (m === 'stopped') void this.worker.terminate().then(done, done);
      });
      this.worker.postMessage('stop');
      // A worker that never answers (it died) still lets the server close.
      setTimeout(() => void this.worker.terminate().then(done, done), 2_000).unref();
    });
    return this.stopping;
  }
}
