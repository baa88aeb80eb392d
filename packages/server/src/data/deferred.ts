/**
 * Writes of a transaction that nothing reads before it commits, held back and written batch-wide: the search
 * documents (and geo rows) of new posts, their mention rows, the counter changes of posts and users, and the event
 * outbox rows webhooks deliver from (read by the delivery engine only after the commit). A
 * transaction holding many units of work (domain/write.ts, group commit) — or a seed batch — writes them as a few
 * multi-row statements instead of several statements per post.
 *
 * Rows themselves (posts, edges) are written at once: later units of the batch read them (a reply to a post made
 * earlier in the batch, the duplicate-content check). What is deferred is read only by search, the mentions
 * timeline and counters shown to readers — all outside the transaction — so deferring changes no answer. Counter
 * changes are summed per row and applied as `greatest(0, col + sum)`, which equals applying them one by one
 * whenever no step would go below zero (counters are exact: they never do).
 *
 * Savepoints: `mark()` when a unit's savepoint begins, `release()` when it is released, `rollbackTo(mark)` when it
 * is rolled back: what the unit deferred is forgotten, and what a flush inside the savepoint wrote — the database's
 * rollback undid it — is written again by the next flush unless it was the unit's own.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { RunFn } from '../db/connect.js';
import { counterUpdateMany } from './counters.js';
import { indexPosts } from './search.js';
import type { PostRow } from './rows.js';
import type { OutboxRow } from './deliveries.js';

type CounterTable = 'posts' | 'users';

type Entry =
  | { kind: 'doc'; post: PostRow }
  | { kind: 'mention'; postId: string; userId: string }
  | { kind: 'counter'; table: CounterTable; id: string; deltas: Partial<Record<string, number>> }
  | { kind: 'outbox'; row: OutboxRow };

/** Where a savepoint began: the entries held then, and how many of them were written. */
export interface DeferredMark {
  held: number;
  written: number;
}

/** Past this many unwritten entries a flush happens at once (memory stays bounded whatever the caller does). */
const AUTO_FLUSH = 20_000;

export class DeferredWrites {
  /** Entries in order; positions are absolute (`dropped` + index), so marks survive compaction. */
  private entries: Entry[] = [];
  private dropped = 0;
  /** Entries below this position are in the database (inside the transaction). */
  private written = 0;
  /** Open savepoints: while one is open, written entries are kept (its rollback may undo their writing). */
  private depth = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn,
  ) {}

  /** New posts' search documents (built from the rows at flush time: nothing they hold changes). */
  async indexPost(rows: readonly PostRow[]): Promise<void> {
    for (const post of rows) this.entries.push({ kind: 'doc', post });
    await this.bound();
  }

  async mention(postId: string, userIds: readonly string[]): Promise<void> {
    for (const userId of new Set(userIds)) this.entries.push({ kind: 'mention', postId, userId });
    await this.bound();
  }

  async counter(table: CounterTable, id: string, deltas: Partial<Record<string, number>>): Promise<void> {
    if (!Object.values(deltas).some((v) => v)) return;
    this.entries.push({ kind: 'counter', table, id, deltas });
    await this.bound();
  }

  async outbox(rows: readonly OutboxRow[]): Promise<void> {
    for (const row of rows) this.entries.push({ kind: 'outbox', row });
    await this.bound();
  }

  /** A savepoint begins. */
  mark(): DeferredMark {
    this.depth++;
    return { held: this.dropped + this.entries.length, written: this.written };
  }

  /** The savepoint was released: its entries stay. */
  release(): void {
    this.depth--;
  }

  /**
   * The savepoint was rolled back: entries held since it began are forgotten, and entries held before it but
   * written during it (the database undid that) will be written again.
   */
  rollbackTo(m: DeferredMark): void {
    this.depth--;
    this.entries.length = m.held - this.dropped;
    this.written = Math.min(this.written, m.written);
  }

  /** Writes every entry not yet written, as multi-row statements, on the transaction's connection. */
  async flush(): Promise<void> {
    const todo = this.entries.slice(this.written - this.dropped);
    this.written = this.dropped + this.entries.length;
    if (this.depth === 0) {
      this.dropped = this.written;
      this.entries = [];
    }
    if (!todo.length) return;
    const docs: PostRow[] = [];
    const mentions: { postId: string; userId: string }[] = [];
    const outbox: OutboxRow[] = [];
    const sums = { posts: new Map<string, Record<string, number>>(), users: new Map<string, Record<string, number>>() };
    for (const e of todo) {
      if (e.kind === 'doc') docs.push(e.post);
      else if (e.kind === 'mention') mentions.push(e);
      else if (e.kind === 'outbox') outbox.push(e.row);
      else {
        const s = sums[e.table].get(e.id) ?? {};
        for (const [col, v] of Object.entries(e.deltas)) if (v) s[col] = (s[col] ?? 0) + v;
        sums[e.table].set(e.id, s);
      }
    }
    if (docs.length) await indexPosts(this.db, this.d, docs, this.run);
    const per = Math.floor(this.d.maxParams / 2);
    for (let i = 0; i < mentions.length; i += per) {
      const part = mentions.slice(i, i + per);
      const params: unknown[] = [];
      for (const m of part) params.push(this.d.idParam(m.userId), this.d.idParam(m.postId));
      await this.run(this.d.numbered(`insert into mentions (user_id, post_id) values ${Array(part.length).fill('(?, ?)').join(', ')}`), params);
    }
    for (const table of ['posts', 'users'] as const) {
      for (const u of counterUpdateMany(this.d, table, sums[table])) await this.run(u.text, u.params);
    }
    const perEvent = Math.floor(this.d.maxParams / 4);
    for (let i = 0; i < outbox.length; i += perEvent) {
      const part = outbox.slice(i, i + perEvent);
      const params: unknown[] = [];
      for (const o of part) params.push(this.d.idParam(o.id), o.type, o.event, o.at);
      const rows = Array(part.length).fill('(?, ?, ?, ?, 0, null)').join(', ');
      await this.run(this.d.numbered(`insert into event_outbox (id, type, event, at, lease_until, lease_owner) values ${rows}`), params);
    }
  }

  private async bound(): Promise<void> {
    if (this.dropped + this.entries.length - this.written >= AUTO_FLUSH) await this.flush();
  }
}
