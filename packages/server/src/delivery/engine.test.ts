/**
 * The delivery engine's outbox fan-out over a batch of stored events, without HTTP: one claim takes the whole batch,
 * each event gets exactly its deliveries (Account Activity and X Activity subscriptions of several users and apps,
 * each once), a row another node took while the batch was planned gets none from this node, a row whose planning
 * failed is left for its lease to run out and is delivered then — and the statements a batch costs do not grow
 * with the number of its events.
 *
 * Webhooks are stored invalid and freshly checked, so no POST is attempted and no CRC runs: what is observed is the
 * `webhook_deliveries` rows fan-out makes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { buildConfig } from '../config.js';
import { createContext, type Context } from '../context.js';
import { openStore, type Store } from '../db/connect.js';
import type { DeliveryRow } from '../data/deliveries.js';
import type { DomainEvent } from '../events/bus.js';
import { follow } from '../domain/graph.js';
import { like } from '../domain/engagement.js';
import { createPost } from '../domain/posting.js';
import { testUser } from '../pipeline/test-rows.js';
import type { DeliveryPlanner } from './engine.js';

const T = Date.UTC(2026, 10, 2, 12);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store whose every statement (query builder or direct) is recorded in `statements`, as SQL. */
function counting(store: Store, statements: string[]): Store {
  const compiled = new WeakMap<object, string>();
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      compiled.set(a.queryId, store.db.getExecutor().compileQuery(a.node, a.queryId).sql);
      return a.node;
    },
    transformResult: async (a) => {
      statements.push(compiled.get(a.queryId) ?? 'raw statement');
      return a.result;
    },
  };
  return {
    db: store.db.withPlugin(plugin),
    dialect: store.dialect,
    read: (sql, params) => {
      statements.push(sql);
      return store.read!(sql, params);
    },
    run: (sql, params) => {
      statements.push(sql);
      return store.run!(sql, params);
    },
    directInTransactions: store.directInTransactions,
    close: () => store.close(),
  };
}

interface World {
  ctx: Context;
  clock: ManualClock;
  statements: string[];
}

/**
 * A context over a fresh SQLite file holding `setUp`'s users, apps and webhooks and these Account Activity
 * subscriptions ([webhook, app, user]); its delivery engine is not started (and its poll never fires by itself).
 */
async function world(subscriptions: readonly (readonly [string, string, string])[] = []): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-engine-'));
  dirs.push(dir);
  const dbUrl = join(dir, 'roost.db');
  const statements: string[] = [];
  const config = buildConfig(
    { ROOST_LOG_LEVEL: 'silent' },
    { dbUrl, logLevel: 'silent', metering: false, cacheMs: 0, secretKeyFile: join(dir, 'secret.key'), mediaDir: join(dir, 'media'), webhooks: { ...buildConfig({}).webhooks, pollMs: 3_600_000 } },
  );
  const clock = new ManualClock(T);
  const ctx = await createContext(config, { store: counting(await openStore(dbUrl), statements), clock });
  await setUp(ctx);
  for (const [webhookId, appId, userId] of subscriptions) await ctx.repos.webhooks.subscribe({ webhookId, appId, userId, createdAt: T });
  return { ctx, clock, statements };
}

const [A, B, C, D, E, Z] = ['5001', '5002', '5003', '5004', '5005', '5006'];
const [APP1, APP2] = ['6001', '6002'];
const [W1, W2] = ['7001', '7002'];

/** Users A–E (and Z, who never acts), two apps with a webhook each, never sent to. */
async function setUp(ctx: Context): Promise<void> {
  const { repos } = ctx;
  await repos.users.insertMany([A, B, C, D, E, Z].map((id, i) => testUser(id, { username: `fan_${'abcdez'[i]}` })));
  for (const [app, hook] of [[APP1, W1], [APP2, W2]] as const) {
    await repos.apps.insertApp({ id: app, name: `app ${app}`, ownerUserId: Z, consumerKey: `ck${app}`, consumerSecretHash: 'x', bearerGeneration: 0, permission: 'read-write-dm', createdAt: T });
    // Invalid: deliveries wait (nothing is sent); checked now: the periodic CRC leaves it alone.
    await repos.webhooks.insert({ id: hook, appId: app, url: `https://hooks.example/${hook}`, valid: false, createdAt: T, crcCheckedAt: T, crcOkAt: T, crcFailure: null });
  }
}

/** X Activity subscriptions (`webhookId` null: streams only). */
async function subscribeActivity(ctx: Context, subs: [id: string, app: string, type: string, user: string, webhookId: string | null][]): Promise<void> {
  for (const [id, appId, eventType, userId, webhookId] of subs) {
    await ctx.repos.activitySubscriptions.insert({ id, appId, eventType, userId, keyword: null, direction: null, tag: null, webhookId, createdAt: T, updatedAt: T });
  }
}

/** The events waiting in the outbox, by outbox id. */
async function outbox(ctx: Context): Promise<Map<string, DomainEvent>> {
  const rows = await ctx.store.db.selectFrom('event_outbox').select(['id', 'event']).execute();
  return new Map(rows.map((r) => [String(r.id), JSON.parse(r.event) as DomainEvent]));
}

async function leaseOf(ctx: Context, id: string): Promise<string | null | undefined> {
  const r = await ctx.store.db.selectFrom('event_outbox').select('lease_owner').where('id', '=', BigInt(id)).executeTakeFirst();
  return r === undefined ? undefined : r.lease_owner;
}

const deliveries = (ctx: Context): Promise<DeliveryRow[]> => ctx.repos.deliveries.recent({ limit: 10_000 });

/** `event|webhook|kind|user` of each delivery, sorted (a duplicate shows twice). */
const keysOf = (rows: readonly DeliveryRow[]) => rows.map((d) => `${d.eventId}|${d.webhookId}|${d.kind}|${d.forUserId}`).sort();

/** Runs the engine until nothing is left to do, and stops it. */
async function runEngine(ctx: Context): Promise<void> {
  ctx.delivery.start();
  await ctx.delivery.idle();
  await ctx.delivery.stop();
}

/** Records the size of every batch the engine plans (a planner that plans nothing). */
function batchSizes(ctx: Context): number[] {
  const sizes: number[] = [];
  ctx.delivery.addPlanner({
    prepare: async (events) => {
      sizes.push(events.length);
      return async () => [];
    },
  });
  return sizes;
}

describe('a batch of events of several users, with Account Activity and X Activity subscriptions', () => {
  let w: World;
  let events: Map<string, DomainEvent>;
  let sizes: number[];
  let mention: string;

  beforeAll(async () => {
    // Account Activity: W1 has A and B, W2 has B and C.
    w = await world([[W1, APP1, A], [W1, APP1, B], [W2, APP2, B], [W2, APP2, C]]);
    const { ctx } = w;
    // X Activity: A's posts to W1, C's posts to W2, D's posts to streams only, E's follows to W1.
    await subscribeActivity(ctx, [
      ['8001', APP1, 'post.create', A, W1],
      ['8002', APP2, 'post.create', C, W2],
      ['8003', APP2, 'post.create', D, null],
      ['8004', APP1, 'follow.follow', E, W1],
    ]);
    const posts: Record<string, string[]> = {};
    for (let i = 0; i < 12; i++) {
      for (const [k, u] of [A, B, C, D, E].entries()) (posts[u] ??= []).push((await createPost(ctx, u, { text: `post ${i} of ${'abcde'[k]}` })).id);
    }
    mention = (await createPost(ctx, D, { text: 'hello @fan_b' })).id;
    await follow(ctx, E, A);
    await like(ctx, B, posts[C]![0]!);
    events = await outbox(ctx);
    sizes = batchSizes(ctx);
    await runEngine(ctx);
  });

  afterAll(async () => {
    await w.ctx.store.close();
  });

  it('all of it is one batch, and every row leaves the outbox', async () => {
    expect(events.size).toBe(63);
    expect(sizes).toEqual([63]);
    expect((await outbox(w.ctx)).size).toBe(0);
  });

  it('each event gets exactly the deliveries its subscriptions ask for, each once', async () => {
    // What each event must become, from the subscriptions above (an oracle written from them, not from fanout.ts).
    const aaa: Record<string, string[]> = { [A]: [W1], [B]: [W1, W2], [C]: [W2] };
    const activityPosts: Record<string, string> = { [A]: W1, [C]: W2 };
    const want: string[] = [];
    for (const [id, e] of events) {
      const add = (hook: string, kind: string, user: string) => want.push(`${id}|${hook}|${kind}|${user}`);
      if (e.type === 'post.created') {
        const told = e.postId === mention ? [e.authorId, B] : [e.authorId];
        for (const u of told) for (const hook of aaa[u] ?? []) add(hook, 'account_activity', u);
        if (activityPosts[e.authorId]) add(activityPosts[e.authorId]!, 'activity', e.authorId);
      } else if (e.type === 'follow.created') {
        add(W1, 'account_activity', A);
        add(W1, 'activity', E);
      } else if (e.type === 'like.created') {
        add(W1, 'account_activity', B);
        add(W2, 'account_activity', B);
        add(W2, 'account_activity', C);
      } else {
        throw new Error(`unexpected event ${e.type}`);
      }
    }
    const rows = await deliveries(w.ctx);
    expect(keysOf(rows)).toEqual(want.sort());
    // Per round of posts: A twice (W1, its activity), B twice (W1, W2), C twice (W2, its activity).
    expect(rows.length).toBe(12 * 6 + 2 + 2 + 3);
  });

  it('each delivery carries its own event: the post, to the user it is for', async () => {
    for (const d of await deliveries(w.ctx)) {
      const e = events.get(d.eventId)!;
      const body = JSON.parse(d.body);
      if (e.type !== 'post.created') continue;
      if (d.kind === 'account_activity') {
        expect(body.for_user_id).toBe(d.forUserId);
        expect(body.tweet_create_events[0].id_str).toBe(e.postId);
      } else {
        expect(body.data.event_type).toBe('post.create');
        expect(body.data.filter).toEqual({ user_id: d.forUserId });
        expect(body.data.payload.id).toBe(e.postId);
      }
    }
  });
});

describe('rows of a batch this node may no longer release', () => {
  let w: World;
  beforeAll(async () => {
    w = await world([[W1, APP1, A]]);
  });
  afterAll(async () => {
    await w.ctx.store.close();
  });

  it('a row another node took while the batch was planned gets no delivery here; the others do', async () => {
    const { ctx, clock } = w;
    for (let i = 0; i < 6; i++) await createPost(ctx, A, { text: `leased ${i}` });
    const events = await outbox(ctx);
    let stolen: string | undefined;
    const thief: DeliveryPlanner = {
      prepare: async () => {
        // Another node whose clock is past this node's lease takes the oldest row of the batch.
        const now = clock.now() + 15_001;
        stolen ??= (await ctx.repos.deliveries.claimOutbox('another-node', now, now + 15_000, 1))[0]?.id;
        return async () => [];
      },
    };
    ctx.delivery.addPlanner(thief);
    await runEngine(ctx);
    expect(stolen).toBe([...events.keys()].sort()[0]);
    const made = await deliveries(ctx);
    expect(made.map((d) => d.eventId).sort()).toEqual([...events.keys()].filter((id) => id !== stolen).sort());
    // The row is the other node's to fan out.
    expect(await leaseOf(ctx, stolen!)).toBe('another-node');
  });

  it('an event whose planning fails keeps its row; the others are delivered; it goes once its lease runs out', async () => {
    const { ctx, clock } = w;
    // The row taken by "another node" above is not in play: that node is gone, its lease has long run out.
    await ctx.store.db.deleteFrom('event_outbox').execute();
    const before = new Set((await deliveries(ctx)).map((d) => d.id));
    const posts: string[] = [];
    for (let i = 0; i < 5; i++) posts.push((await createPost(ctx, A, { text: `fragile ${i}` })).id);
    const events = await outbox(ctx);
    const fragile = (e: DomainEvent) => e.type === 'post.created' && e.postId === posts[2];
    const failing = [...events].find(([, e]) => fragile(e))![0];
    let failures = 0;
    ctx.delivery.addPlanner({
      prepare: async () => async (e) => {
        if (fragile(e) && failures++ === 0) throw new Error('planning fails once');
        return [];
      },
    });
    await runEngine(ctx);
    const first = (await deliveries(ctx)).filter((d) => !before.has(d.id));
    expect(first.map((d) => d.eventId).sort()).toEqual([...events.keys()].filter((id) => id !== failing).sort());
    expect([...(await outbox(ctx)).keys()]).toEqual([failing]);
    expect(await leaseOf(ctx, failing)).not.toBeNull();

    // Within its lease nobody takes it again.
    clock.advance(14_000);
    await runEngine(ctx);
    expect([...(await outbox(ctx)).keys()]).toEqual([failing]);
    clock.advance(1_000);
    await runEngine(ctx);
    const all = (await deliveries(ctx)).filter((d) => !before.has(d.id));
    expect(all.map((d) => d.eventId).sort()).toEqual([...events.keys()].sort());
    expect((await outbox(ctx)).size).toBe(0);
    expect(failures).toBe(2);
  });
});

describe('statements of a batch', () => {
  let w: World;
  beforeAll(async () => {
    // Every planner has something to look at — subscriptions, an activity subscription, a linked filtered
    // stream with a rule — but none of it concerns the posting users.
    w = await world([[W1, APP1, Z]]);
    const { ctx } = w;
    await subscribeActivity(ctx, [['8101', APP2, 'post.create', Z, W2]]);
    await ctx.repos.webhooks.link({ appId: APP1, webhookId: W1, params: {}, createdAt: T });
    await ctx.repos.streamRules.insertMany([{ id: '9001', appId: APP1, ownerId: Z, value: 'never_in_these_posts', tag: null, createdAt: T }]);
    // The first round also prunes (every ten minutes): out of the way before counting.
    await runEngine(ctx);
  });
  afterAll(async () => {
    await w.ctx.store.close();
  });

  /** Statements of the engine's round over `n` new posts (claim, planning, release, housekeeping). */
  async function statementsFor(n: number): Promise<number> {
    const { ctx, statements } = w;
    for (let i = 0; i < n; i++) await createPost(ctx, [A, B, C][i % 3]!, { text: `counted ${n} ${i}` });
    expect((await outbox(ctx)).size).toBe(n);
    statements.length = 0;
    await runEngine(ctx);
    const count = statements.length;
    expect((await outbox(ctx)).size).toBe(0);
    expect(await deliveries(ctx)).toEqual([]);
    return count;
  }

  it('the same for 5 events as for 200: nothing is asked per event', async () => {
    const few = await statementsFor(5);
    const many = await statementsFor(200);
    expect(many).toBe(few);
    expect(few).toBeLessThanOrEqual(20);
  });
});

describe('the work a wake runs', () => {
  let w: World;
  /** Statements of expiry, replay jobs and the periodic CRC check. */
  const housekeeping = [/webhook_replay_jobs/, /^update "webhook_deliveries"/, /crc_checked_at/];
  /** The look for deliveries due. */
  const due = /from "webhook_deliveries" as "d" inner join "webhooks"/;
  const ran = (re: RegExp) => w.statements.some((s) => re.test(s));

  beforeAll(async () => {
    w = await world([[W1, APP1, A]]);
    w.ctx.delivery.start();
    await w.ctx.delivery.idle();
  });
  afterAll(async () => {
    await w.ctx.delivery.stop();
    await w.ctx.store.close();
  });

  it('events stored by writes are fanned out with no housekeeping, and no look for due deliveries when none were made', async () => {
    w.statements.length = 0;
    for (let i = 0; i < 3; i++) await createPost(w.ctx, B, { text: `unheard ${i}` });
    await w.ctx.delivery.idle();
    expect((await outbox(w.ctx)).size).toBe(0);
    expect(ran(/^update event_outbox set lease_until/)).toBe(true);
    expect(housekeeping.filter(ran)).toEqual([]);
    expect(ran(due)).toBe(false);
  });

  it('a round that made deliveries looks for the due ones, still with no housekeeping', async () => {
    w.statements.length = 0;
    await createPost(w.ctx, A, { text: 'heard' });
    await w.ctx.delivery.idle();
    expect((await deliveries(w.ctx)).map((d) => d.forUserId)).toEqual([A]);
    expect(ran(due)).toBe(true);
    expect(housekeeping.filter(ran)).toEqual([]);
  });

  it('the poll runs all of it', async () => {
    w.statements.length = 0;
    w.ctx.delivery.wake();
    // Stopping waits for the CRC check the round started.
    await w.ctx.delivery.stop();
    expect(housekeeping.filter(ran)).toEqual(housekeeping);
    expect(ran(due)).toBe(true);
    expect(ran(/^update event_outbox set lease_until/)).toBe(true);
  });
});
