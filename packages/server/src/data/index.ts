import { readerFor, runnerFor, type ReadFn, type RunFn, type Store } from '../db/connect.js';
import { Users } from './users.js';
import { Posts } from './posts.js';
import { Edges } from './edges.js';
import { Attachments } from './attachments.js';
import { Apps } from './apps.js';
import { Timelines } from './timelines.js';
import { Mentions } from './mentions.js';
import { Social } from './social.js';
import { OAuth1Store } from './oauth1.js';
import { OAuth2 } from './oauth2.js';
import { Search } from './search.js';
import { StreamRules } from './stream-rules.js';
import { MediaUploads } from './media-uploads.js';
import { SealedSecrets } from './sealed-secrets.js';
import { RateLimits } from './rate-limits.js';
import { BillingTables } from './billing.js';
import { Spaces } from './spaces.js';
import { Affiliations } from './affiliations.js';
import { Analytics } from './analytics.js';
import { Communities } from './communities.js';
import { TrendSources } from './trends.js';
import { Lists } from './lists.js';
import { Webhooks } from './webhooks.js';
import { ActivitySubscriptions } from './activity-subscriptions.js';
import { Deliveries } from './deliveries.js';
import { ComplianceJobs } from './compliance-jobs.js';
import { DirectMessages } from './dms.js';
import { Chats } from './chats.js';
import { BroadcastRowCache, RowCache, TransactionCacheView, type CacheInvalidation, type RowCacheLike } from './row-cache.js';
import { ConsoleStore } from './console.js';
import { DeferredWrites } from './deferred.js';
import { Notes } from './notes.js';
import { Broadcasts } from './broadcasts.js';
import { Articles } from './articles.js';
import { BulkRows } from './bulk.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { PostRow, UserRow } from './rows.js';

export interface Repos {
  users: Users;
  posts: Posts;
  edges: Edges;
  attachments: Attachments;
  apps: Apps;
  timelines: Timelines;
  mentions: Mentions;
  social: Social;
  oauth1: OAuth1Store;
  oauth2: OAuth2;
  search: Search;
  streamRules: StreamRules;
  mediaUploads: MediaUploads;
  /** Every value stored sealed under the secret key (re-sealed when the key changes). */
  sealed: SealedSecrets;
  /** Rate-limit buckets and per-app overrides (limits/ holds the algorithms). */
  rateLimits: RateLimits;
  /** Credit balances and daily usage (domain/billing.ts keeps the accounts). */
  billing: BillingTables;
  /** Spaces, their ticket buyers and topics. */
  spaces: Spaces;
  /** Verified organisations' affiliates. */
  affiliations: Affiliations;
  /** What the world recorded about posts over time (analytics). */
  analytics: Analytics;
  /** Communities and their members. */
  communities: Communities;
  /** The recent public posts trends are computed from. */
  trends: TrendSources;
  /** Lists, their members, followers and pins. */
  lists: Lists;
  /** Registered webhooks, Account Activity subscriptions and filtered-stream webhook links. */
  webhooks: Webhooks;
  /** X Activity API subscriptions. */
  activitySubscriptions: ActivitySubscriptions;
  /** The event outbox, webhook deliveries and their attempts, replay jobs (delivery/ holds the engine). */
  deliveries: Deliveries;
  /** Batch compliance jobs. */
  complianceJobs: ComplianceJobs;
  /** Direct Messages: conversations, participants, events, DM settings (DM blocks are `social`'s). */
  dms: DirectMessages;
  /** Chats: encrypted conversations, members, events, keys, public keys, attachments. */
  chats: Chats;
  /** The Developer Console: developer accounts, sessions, per-endpoint usage, billing settings. */
  console: ConsoleStore;
  /** Community Notes and the requests for them. */
  notes: Notes;
  /** Scheduled broadcasts and their chat messages. */
  broadcasts: Broadcasts;
  /** Article drafts and the posts that published them. */
  articles: Articles;
  /** Rows written in bulk from their bound values (the seed's bulk load, data/bulk-load.ts). */
  bulk: BulkRows;
  /**
   * Runs `fn` in one database transaction with repositories bound to it. Rows it writes are evicted from this
   * node's row cache during and after the transaction.
   */
  transaction<T>(fn: (r: Repos) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: runs `fn` under a savepoint and, when it throws, rolls back to it — undoing `fn`'s
   * writes alone — and rethrows. If even that rollback fails the transaction is unusable: `SavepointLost` is thrown
   * and the caller must abandon the transaction. Outside a transaction, `fn` runs in one of its own.
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: writes now what it holds back until its commit (search documents, mention rows, counter
   * changes: data/deferred.ts), e.g. between the batches of a seed. Outside one nothing is held back.
   */
  flush(): Promise<void>;
}

/** Rolling back to a savepoint failed: the transaction holding it cannot go on (its cause says why). */
export class SavepointLost extends Error {
  constructor(cause: unknown) {
    super('rolling back to a savepoint failed; the transaction is lost', { cause });
  }
}

export interface RepoOptions {
  /** Row cache lifetime for posts and users by id (ms); 0 (default) disables it. */
  cacheMs?: number;
  /** Evictions to and from the other nodes (scale-out); without it each node's cache lives by its TTL alone. */
  invalidation?: CacheInvalidation;
}

export function createRepos(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'read' | 'run' | 'directInTransactions' | 'close'>>,
  opts: RepoOptions = {},
): Repos {
  const local = { users: new RowCache<UserRow>(opts.cacheMs ?? 0), posts: new RowCache<PostRow>(opts.cacheMs ?? 0) };
  const direct = { read: readerFor(store), run: runnerFor(store) };
  // Inside a transaction, direct statements are used only where they run on the transaction's connection.
  const inside = (trx: Kysely<Database>) => (store.directInTransactions ? direct : { read: readerFor({ db: trx }), run: runnerFor({ db: trx }) });
  const inv = opts.invalidation;
  if (!inv) return bind(store.db, store.dialect, direct, inside, local, null);
  inv.subscribe((cache, key) => {
    if (cache === 'users' || cache === 'posts') local[cache].delete(key);
  });
  const caches = { users: new BroadcastRowCache('users', local.users, inv), posts: new BroadcastRowCache('posts', local.posts, inv) };
  return bind(store.db, store.dialect, direct, inside, caches, null);
}

function bind(
  db: Kysely<Database>,
  dialect: Dialect,
  direct: { read: ReadFn; run: RunFn },
  inside: (trx: Kysely<Database>) => { read: ReadFn; run: RunFn },
  caches: { users: RowCacheLike<UserRow>; posts: RowCacheLike<PostRow> },
  deferred: DeferredWrites | null,
): Repos {
  const { read, run } = direct;
  const repos: Repos = {
    users: new Users(db, dialect, read, run, caches.users, deferred),
    posts: new Posts(db, dialect, read, run, caches.posts, deferred),
    edges: new Edges(db, dialect, run),
    attachments: new Attachments(db, dialect, run),
    apps: new Apps(db, dialect),
    timelines: new Timelines(db, dialect, read),
    mentions: new Mentions(db, dialect, run, deferred),
    social: new Social(db, dialect, run),
    oauth1: new OAuth1Store(db, dialect),
    oauth2: new OAuth2(db, dialect),
    search: new Search(dialect, read),
    streamRules: new StreamRules(db, dialect),
    mediaUploads: new MediaUploads(db, dialect),
    sealed: new SealedSecrets(db, dialect),
    rateLimits: new RateLimits(dialect, read),
    billing: new BillingTables(dialect, read),
    spaces: new Spaces(db, dialect),
    affiliations: new Affiliations(db, dialect),
    analytics: new Analytics(db, dialect, run),
    communities: new Communities(db, dialect),
    trends: new TrendSources(db, dialect),
    lists: new Lists(db, dialect),
    webhooks: new Webhooks(db, dialect, read),
    activitySubscriptions: new ActivitySubscriptions(db, dialect, read),
    deliveries: new Deliveries(db, dialect, read, deferred),
    complianceJobs: new ComplianceJobs(db, dialect),
    dms: new DirectMessages(db, dialect),
    chats: new Chats(db, dialect),
    console: new ConsoleStore(db, dialect),
    notes: new Notes(db, dialect),
    broadcasts: new Broadcasts(db, dialect),
    articles: new Articles(db, dialect),
    bulk: new BulkRows(dialect, run),
    async transaction<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
      const views = { users: new TransactionCacheView(caches.users), posts: new TransactionCacheView(caches.posts) };
      let committed = false;
      try {
        const value = await db.transaction().execute(async (trx) => {
          const bound = inside(trx);
          const held = new DeferredWrites(trx, dialect, bound.run);
          const value = await fn(bind(trx, dialect, bound, inside, views, held));
          await held.flush();
          return value;
        });
        committed = true;
        return value;
      } finally {
        views.users.settle(committed);
        views.posts.settle(committed);
      }
    },
    async savepoint<T>(fn: () => Promise<T>): Promise<T> {
      if (!deferred) return repos.transaction(() => fn());
      await run('savepoint roost_unit', []);
      const mark = deferred.mark();
      let value: T;
      try {
        value = await fn();
      } catch (err) {
        deferred.rollbackTo(mark);
        for (const c of [caches.users, caches.posts]) if (c instanceof TransactionCacheView) c.forgetPrimed();
        try {
          await run('rollback to savepoint roost_unit', []);
          await run('release savepoint roost_unit', []);
        } catch (lost) {
          throw new SavepointLost(lost);
        }
        throw err;
      }
      await run('release savepoint roost_unit', []);
      deferred.release();
      return value;
    },
    async flush(): Promise<void> {
      await deferred?.flush();
    },
  };
  return repos;
}

export type { Users, Posts, Edges, Attachments, Apps, Timelines, Social, Mentions, Lists, DirectMessages, Chats };
