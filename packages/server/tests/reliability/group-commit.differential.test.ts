/**
 * Group commit equals serial execution (issue 17). The same 1,000 random interleaved writes — posts, replies,
 * quotes, deletes, likes and unlikes, follows and unfollows, repeated texts — run twice on identical worlds:
 * once serially (every write alone in its transaction, each awaited before the next is sent) and once batched
 * (each round of 50 sent at once, so they share transactions). Every write must get the same answer (value, or
 * X's error body) in both runs, the bus must carry the same events in the same order, and the databases must end
 * up equal row for row. Rounds mix writes that depend on each other: a reply to a post deleted earlier in the same
 * round, a duplicate of a text posted earlier in the round, a like of a post deleted in it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/connect.js';
import { createRepos, type Repos } from '../../src/data/index.js';
import type { UserRow } from '../../src/data/rows.js';
import { LocalBus, type DomainEvent } from '../../src/events/bus.js';
import { ManualClock } from '../../src/clock.js';
import { Snowflake } from '../../src/util/snowflake.js';
import { MediaService } from '../../src/media/service.js';
import { FsBlobStore } from '../../src/media/blob-store.js';
import { configureWrites } from '../../src/domain/write.js';
import { ApiError } from '../../src/errors.js';
import { rng } from '../../src/streams/rule-gen.js';
import { createPost, deletePost, type PostingContext } from '../../src/domain/posting.js';
import { like, unlike } from '../../src/domain/engagement.js';
import { follow, unfollow } from '../../src/domain/graph.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const T0 = Date.UTC(2026, 10, 1, 12);
const USERS = ['1000', '1001', '1002', '1003', '1004', '1005'];
const OPS = 1000;
const ROUND = 50;

function user(id: string, i: number): UserRow {
  return {
    id, username: `u${i}`, name: `u${i}`, description: '', location: null, url: null, profileImageUrl: `https://img.example/u${i}.png`,
    profileBannerUrl: null, protected: i === 5, verified: false, verifiedType: 'none', suspended: false, createdAt: T0 - 86_400_000,
    pinnedPostId: null, mostRecentPostId: null, followersCount: 0, followingCount: 0, tweetCount: 0, listedCount: 0, likeCount: 0,
    entities: null, withheld: null,
  };
}

type Op =
  | { kind: 'create'; me: string; text: string }
  | { kind: 'reply'; me: string; text: string; to: number }
  | { kind: 'quote'; me: string; text: string; of: number }
  | { kind: 'delete'; me: string; post: number }
  | { kind: 'like' | 'unlike'; me: string; post: number }
  | { kind: 'follow' | 'unfollow'; me: string; target: string };

/**
 * One round of writes. Posts are named by their index in `known` (posts whose creation answered in an earlier
 * round, in answer order: the same list in both runs because the answers are compared to be equal).
 */
function drawRound(rnd: () => number, known: readonly { id: string; author: string }[], lastText: Map<string, string>): Op[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const ops: Op[] = [];
  for (let i = 0; i < ROUND; i++) {
    const me = pick(USERS);
    const k = rnd();
    const someText = () => {
      const mention = rnd() < 0.3 ? ` @u${Math.floor(rnd() * USERS.length)}` : '';
      return `${pick(['hello', 'news', 'roost', 'writes'])} ${Math.floor(rnd() * 8)}${mention}${rnd() < 0.3 ? ' #batch' : ''}`;
    };
    const post = () => Math.floor(rnd() * known.length);
    let op: Op;
    if (k < 0.25 || !known.length) op = { kind: 'create', me, text: someText() };
    else if (k < 0.33) op = { kind: 'create', me, text: lastText.get(me) ?? someText() }; // a duplicate, on purpose
    else if (k < 0.43) {
      // Replies are mostly to posts mentioning or by the replier, so the summoned-reply rule lets some through.
      const to = post();
      op = { kind: 'reply', me: rnd() < 0.5 ? known[to]!.author : me, text: `${someText()} reply`, to };
    } else if (k < 0.5) op = { kind: 'quote', me, text: `${someText()} quote`, of: post() };
    else if (k < 0.6) {
      const p = post();
      op = { kind: 'delete', me: rnd() < 0.8 ? known[p]!.author : me, post: p };
    } else if (k < 0.75) op = { kind: 'like', me, post: post() };
    else if (k < 0.82) op = { kind: 'unlike', me, post: post() };
    else if (k < 0.93) op = { kind: 'follow', me, target: pick(USERS) };
    else op = { kind: 'unfollow', me, target: pick(USERS) };
    if ('text' in op) lastText.set(me, op.text);
    ops.push(op);
  }
  return ops;
}

interface World {
  store: Store;
  ctx: PostingContext;
  events: DomainEvent[];
  transactions: () => number;
}

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function world(maxBatch: number): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-group-commit-'));
  dirs.push(dir);
  const store = await openStore(join(dir, 'roost.db'));
  stores.push(store);
  const base = createRepos(store);
  let transactions = 0;
  const repos: Repos = { ...base, transaction: (fn) => (transactions++, base.transaction(fn)) };
  configureWrites(repos, { maxBatch });
  const clock = new ManualClock(T0);
  const ids = new Snowflake(clock, 3);
  const bus = new LocalBus((err) => {
    throw err;
  });
  const events: DomainEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const ctx: PostingContext = { repos, bus, clock, ids, media: new MediaService(join(dir, 'media'), new FsBlobStore(join(dir, 'media')), repos, clock, ids) };
  await base.users.insertMany(USERS.map((id, i) => user(id, i)));
  return { store, ctx, events, transactions: () => transactions };
}

/** A write's answer as a client would see it: the value, or X's status and error body. */
async function answer(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, body: err.body() };
    throw err;
  }
}

function send(w: World, op: Op, known: readonly { id: string; author: string }[]): Promise<unknown> {
  const ctx = w.ctx;
  switch (op.kind) {
    case 'create':
      return answer(createPost(ctx, op.me, { text: op.text }));
    case 'reply':
      return answer(createPost(ctx, op.me, { text: op.text, reply: { in_reply_to_tweet_id: known[op.to]!.id } }));
    case 'quote':
      return answer(createPost(ctx, op.me, { text: op.text, quote_tweet_id: known[op.of]!.id }));
    case 'delete':
      return answer(deletePost(ctx, op.me, known[op.post]!.id));
    case 'like':
      return answer(like(ctx, op.me, known[op.post]!.id));
    case 'unlike':
      return answer(unlike(ctx, op.me, known[op.post]!.id));
    case 'follow':
      return answer(follow(ctx, op.me, op.target));
    case 'unfollow':
      return answer(unfollow(ctx, op.me, op.target));
  }
}

/** Runs the seeded writes; `batched` sends each round at once, otherwise one write at a time. */
async function play(w: World, batched: boolean): Promise<unknown[][]> {
  const rnd = rng(17); // seeded: both runs (and every rerun) draw the same writes
  const known: { id: string; author: string }[] = [];
  const lastText = new Map<string, string>();
  const answers: unknown[][] = [];
  for (let done = 0; done < OPS; done += ROUND) {
    const ops = drawRound(rnd, known, lastText);
    let round: unknown[];
    if (batched) round = await Promise.all(ops.map((op) => send(w, op, known)));
    else {
      round = [];
      for (const op of ops) round.push(await send(w, op, known));
    }
    ops.forEach((op, i) => {
      const a = round[i] as { ok?: { id?: string } };
      if ((op.kind === 'create' || op.kind === 'reply' || op.kind === 'quote') && a.ok?.id) known.push({ id: a.ok.id, author: op.me });
    });
    answers.push(round);
    (w.ctx.clock as ManualClock).advance(1000);
  }
  return answers;
}

/** Every row the writes touch, in a stable order. */
async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await sql.raw(text).execute(store.db)).rows;
  return {
    posts: await q('select * from posts order by id'),
    users: await q('select * from users order by id'),
    likes: await q('select * from likes order by user_id, post_id'),
    follows: await q('select * from follows order by follower_id, followee_id'),
    followRequests: await q('select * from follow_requests order by requester_id, target_id'),
    mentions: await q('select * from mentions order by post_id, user_id'),
    search: await q('select rowid, doc from post_search order by rowid'),
  };
}

describe('group commit', () => {
  it(`${OPS} random interleaved writes: batched answers, events and final state equal serial execution`, async () => {
    const serial = await world(1);
    const batched = await world(256);
    const serialAnswers = await play(serial, false);
    const batchedAnswers = await play(batched, true);

    // The batched run really shared transactions (one per round); the serial one had one per write that got as
    // far as the unit of work (following oneself is refused before it).
    expect(serial.transactions()).toBeGreaterThan(OPS * 0.9);
    expect(batched.transactions()).toBeLessThanOrEqual(OPS / ROUND);

    expect(batchedAnswers).toEqual(serialAnswers);
    expect(batched.events).toEqual(serial.events);
    expect(await dump(batched.store)).toEqual(await dump(serial.store));

    // The draw exercised what it is meant to: successes and X's refusals of several kinds.
    const flat = serialAnswers.flat() as { ok?: unknown; status?: number; body?: { detail?: string } }[];
    const details = new Set(flat.filter((a) => a.status).map((a) => a.body?.detail ?? a.status));
    expect(flat.filter((a) => 'ok' in a).length).toBeGreaterThan(OPS / 2);
    expect([...details]).toEqual(
      expect.arrayContaining([
        'You are not allowed to create a Tweet with duplicate content.',
        'You attempted to reply to a Tweet that is deleted or not visible to you.',
      ]),
    );
    const counters = await dump(serial.store);
    expect(counters.likes.length).toBeGreaterThan(0);
    expect(counters.follows.length).toBeGreaterThan(0);
  }, 120_000);
});
