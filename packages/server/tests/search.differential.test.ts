/**
 * Two executors, one meaning: random queries generated from the grammar over a seeded world must select exactly
 * the same posts through the SQL executor (SQLite FTS5 and PostgreSQL tsvector) as through the in-memory matcher
 * in search mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from './postgres-suite.js';
import { openStore, type Store } from '../src/db/connect.js';
import { createRepos, type Repos } from '../src/data/index.js';
import { seedWorld } from '../src/seed/world.js';
import { compileMatcher, type MatchDoc } from '../src/query/matcher.js';
import { parseQuery, toString, searchTokens, type Node, type HasValue, type IsValue, type Product } from '../src/query/index.js';
import { loadMatchDocs } from '../src/search/match-docs.js';
import { Random } from '../src/seed/random.js';
import type { PostRow } from '../src/data/rows.js';

const NOW = Date.UTC(2026, 10, 1);
const QUERIES = 2000;

interface World {
  docs: MatchDoc[];
  words: string[];
  phrases: string[];
  hashtags: string[];
  mentions: string[];
  cashtags: string[];
  urlWords: string[];
  usernames: string[];
  userIds: string[];
  conversationIds: string[];
  replyTo: string[];
  reposted: string[];
  quoted: string[];
  places: { id: string; name: string; fullName: string; country: string; bbox: [number, number, number, number] }[];
  points: [number, number][];
  langs: string[];
  /** Every stored list (public and private) and one that does not exist. */
  listIds: string[];
  /** What an app-only searcher may see: the public lists (`list:` of any other list matches nothing). */
  publicLists: Set<string>;
}

async function allPosts(repos: Repos, store: Store): Promise<PostRow[]> {
  const rows = await store.db.selectFrom('posts').select('id').execute();
  const ids = rows.map((r) => String(r.id));
  const out: PostRow[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await repos.posts.byIds(ids.slice(i, i + 500))).values());
  return out;
}

function vocabulary(docs: MatchDoc[], lists: { id: string; private: boolean }[]): World {
  const set = () => new Set<string>();
  const words = set(), phrases = set(), hashtags = set(), mentions = set(), cashtags = set(), urlWords = set();
  const usernames = set(), userIds = set(), conv = set(), replyTo = set(), reposted = set(), quoted = set(), langs = set();
  const places = new Map<string, World['places'][number]>();
  const points: [number, number][] = [];
  for (const d of docs) {
    const p = d.post;
    const text = p.noteText ?? p.text;
    const raw = text.split(/\s+/).filter((w) => /^[\p{L}\p{N}]+$/u.test(w));
    for (const w of raw.slice(0, 6)) words.add(w);
    if (raw.length >= 3) phrases.add(raw.slice(1, 3).join(' '));
    const e = p.noteEntities ?? p.entities;
    for (const h of e?.hashtags ?? []) hashtags.add(h.tag);
    for (const h of e?.cashtags ?? []) cashtags.add(h.tag);
    for (const m of e?.mentions ?? []) mentions.add(m.username);
    for (const u of e?.urls ?? []) for (const t of searchTokens(u.expanded_url).slice(0, 4)) urlWords.add(t);
    usernames.add(d.author.username);
    userIds.add(d.author.id);
    conv.add(p.conversationId);
    if (p.inReplyToPostId) replyTo.add(p.inReplyToPostId);
    if (p.repostedPostId) reposted.add(p.repostedPostId);
    if (p.quotedPostId) quoted.add(p.quotedPostId);
    langs.add(p.lang);
    if (d.place) places.set(d.place.id, { id: d.place.id, name: d.place.name, fullName: d.place.fullName, country: d.place.countryCode, bbox: d.place.bbox });
    if (p.geoCoordinates) points.push(p.geoCoordinates);
  }
  const arr = (s: Set<string>) => [...s].sort();
  return {
    docs,
    words: arr(words), phrases: arr(phrases), hashtags: arr(hashtags), mentions: arr(mentions), cashtags: arr(cashtags),
    urlWords: arr(urlWords), usernames: arr(usernames), userIds: arr(userIds), conversationIds: arr(conv),
    replyTo: arr(replyTo), reposted: arr(reposted), quoted: arr(quoted),
    places: [...places.values()].sort((a, b) => a.id.localeCompare(b.id)), points, langs: arr(langs),
    listIds: [...lists.map((l) => l.id).sort(), '1234'],
    publicLists: new Set(lists.filter((l) => !l.private).map((l) => l.id)),
  };
}

const rf = (r: Random, a: number, b: number): number => a + r.next() * (b - a);

const ACCENTS: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', n: 'ñ', c: 'ç' };

/** Same word, as a user might type it: case and accents vary (search folds both). */
function vary(r: Random, w: string): string {
  let out = w;
  if (r.chance(0.3)) out = out.toUpperCase();
  else if (r.chance(0.3)) out = out.charAt(0).toUpperCase() + out.slice(1);
  if (r.chance(0.2)) out = out.replace(/[aeioun c]/, (ch) => ACCENTS[ch.toLowerCase()] ?? ch);
  return out;
}

const HAS: HasValue[] = ['hashtags', 'cashtags', 'links', 'mentions', 'media', 'images', 'video_link', 'geo'];
const IS: IsValue[] = ['retweet', 'reply', 'quote', 'verified'];

function leaf(r: Random, w: World): Node {
  const pos = 1;
  const pick = <T,>(xs: readonly T[], fallback: T): T => (xs.length ? r.pick(xs) : fallback);
  const user = (): { type: 'username'; username: string } | { type: 'id'; id: string } =>
    r.chance(0.5) ? { type: 'username', username: pick(w.usernames, 'nobody').toLowerCase() } : { type: 'id', id: pick(w.userIds, '12') };
  const k = r.int(0, 27);
  switch (k) {
    case 0: case 1: case 2: case 3: case 4:
      return { kind: 'keyword', value: vary(r, pick(w.words, 'cat')), pos };
    case 5:
      return { kind: 'keyword', value: `${pick(w.words, 'a')}-${pick(w.words, 'b')}`, pos };
    case 6: case 7:
      return { kind: 'phrase', value: vary(r, pick(w.phrases, 'a b')), proximity: null, pos };
    case 8:
      return { kind: 'hashtag', tag: pick(w.hashtags, 'tag').toLowerCase(), pos };
    case 9:
      return { kind: 'mention', username: pick(w.mentions, 'x').toLowerCase(), pos };
    case 10:
      return { kind: 'cashtag', symbol: pick(w.cashtags, 'abc').toLowerCase(), pos };
    case 11:
      return { kind: 'from', user: user(), pos };
    case 12:
      return { kind: 'to', user: user(), pos };
    case 13:
      return { kind: 'retweets_of', user: user(), pos };
    case 14:
      return { kind: 'url', value: pick(w.urlWords, 'example'), quoted: false, pos };
    case 15:
      return { kind: 'conversation_id', id: pick(w.conversationIds, '1'), pos };
    case 16: {
      const which = r.int(0, 2);
      if (which === 0) return { kind: 'in_reply_to_tweet_id', id: pick(w.replyTo, '1'), pos };
      if (which === 1) return { kind: 'retweets_of_tweet_id', id: pick(w.reposted, '1'), pos };
      return { kind: 'quotes_of_tweet_id', id: pick(w.quoted, '1'), pos };
    }
    case 17: {
      const pl = pick(w.places, { id: '01a9a39529b27f36', name: 'Manhattan', fullName: 'Manhattan, NY', country: 'US', bbox: [0, 0, 0, 0] });
      const v = r.int(0, 2);
      const value = v === 0 ? pl.id : v === 1 ? pl.name : pl.fullName.split(/[ ,]+/)[0]!;
      return { kind: 'place', value, quoted: /\s/.test(value), pos };
    }
    case 18:
      return { kind: 'place_country', code: pick(w.places, { country: 'US' } as World['places'][number]).country, pos };
    case 19: {
      const base = w.points.length && r.chance(0.6) ? r.pick(w.points) : (() => {
        const pl = pick(w.places, { bbox: [-74, 40.7, -73.9, 40.8] } as World['places'][number]);
        return [(pl.bbox[0] + pl.bbox[2]) / 2, (pl.bbox[1] + pl.bbox[3]) / 2] as [number, number];
      })();
      const radius = Math.round(rf(r, 0.5, 24) * 10) / 10;
      const unit = r.chance(0.5) ? 'km' : 'mi';
      const lon = Math.round((base[0] + rf(r, -0.2, 0.2)) * 1e4) / 1e4;
      const lat = Math.round((base[1] + rf(r, -0.2, 0.2)) * 1e4) / 1e4;
      return { kind: 'point_radius', lon, lat, radius, unit, radiusKm: unit === 'km' ? radius : radius * 1.609344, pos };
    }
    case 20: {
      const base = w.points.length && r.chance(0.5) ? r.pick(w.points) : [-73.97, 40.77];
      const west = Math.round((base[0]! - rf(r, 0.01, 0.15)) * 1e4) / 1e4;
      const south = Math.round((base[1]! - rf(r, 0.01, 0.15)) * 1e4) / 1e4;
      return { kind: 'bounding_box', west, south, east: Math.round((west + rf(r, 0.02, 0.3)) * 1e4) / 1e4, north: Math.round((south + rf(r, 0.02, 0.3)) * 1e4) / 1e4, pos };
    }
    case 21: {
      const kinds = ['min_likes', 'min_replies', 'min_reposts'] as const;
      return { kind: r.pick(kinds), n: r.int(0, 12), pos };
    }
    case 22: case 23:
      return { kind: 'has', value: r.pick(HAS), pos };
    case 24:
      return { kind: 'is', value: r.pick(IS), pos };
    case 25:
      return { kind: 'lang', code: pick(w.langs, 'en'), pos };
    case 26:
      return r.chance(0.5) ? { kind: 'entity', value: vary(r, pick(w.words, 'x')), quoted: true, pos } : { kind: 'list', id: pick(w.listIds, '1234'), pos };
    default:
      return { kind: 'keyword', value: pick(w.words, 'cat'), pos };
  }
}

function node(r: Random, w: World, depth: number): Node {
  if (depth <= 0 || r.chance(0.35)) {
    const l = leaf(r, w);
    return r.chance(0.2) ? { kind: 'not', child: l, pos: 1 } : l;
  }
  const n = r.int(2, 4);
  const children: Node[] = [];
  for (let i = 0; i < n; i++) children.push(node(r, w, depth - 1));
  return { kind: r.chance(0.55) ? 'and' : 'or', children, pos: 1 };
}

/** Generates `count` queries the search products accept, as (text, parsed AST). */
function queries(w: World, seed: number, count: number): { text: string; ast: Node }[] {
  const r = new Random(seed);
  const out: { text: string; ast: Node }[] = [];
  const products: Product[] = ['recent', 'all', 'counts_recent', 'counts_all'];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const text = toString(node(r, w, r.int(0, 3)));
    const parsed = parseQuery(text, { product: r.pick(products) });
    if (parsed.ok) out.push({ text, ast: parsed.ast });
  }
  return out;
}

function differential(name: string, open: () => Promise<Store>) {
  describe(`search executors agree: ${name}`, () => {
    let store: Store;
    let repos: Repos;
    let world: World;
    beforeAll(async () => {
      store = await open();
      await seedWorld(store, { seed: 4242, users: 150, posts: 2500, now: NOW });
      repos = createRepos(store);
      const lists = (await store.db.selectFrom('lists').select(['id', 'private']).execute()).map((l) => ({ id: String(l.id), private: Number(l.private) === 1 }));
      // Documents carry the memberships an app-only searcher may see, read from the rows search's SQL reads.
      world = vocabulary(await loadMatchDocs(repos, await allPosts(repos, store), { liveRefs: false, lists: { privateOf: null } }), lists);
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });

    it(`returns the matcher's post set for ${QUERIES} random queries`, async () => {
      const qs = queries(world, 7, QUERIES);
      expect(qs.length).toBe(QUERIES);
      let nonEmpty = 0;
      let driven = 0;
      let unions = 0;
      let listed = 0;
      for (const q of qs) {
        const m = compileMatcher(q.ast, { mode: 'search' });
        const expected = world.docs.filter((d) => m(d)).map((d) => d.post.id).sort();
        const got = (await repos.search.ids(q.ast, { limit: 1_000_000, order: 'recency', visibility: 'all', lists: world.publicLists })).sort();
        if (got.length !== expected.length || got.some((id, i) => id !== expected[i])) {
          expect({ query: q.text, plan: repos.search.plan(q.ast), ids: got }).toEqual({ query: q.text, plan: repos.search.plan(q.ast), ids: expected });
        }
        if (expected.length) nonEmpty++;
        if (expected.length && /list:/.test(q.text)) listed++;
        const plan = repos.search.plan(q.ast);
        if (plan.driver !== null) driven++;
        if (plan.union) unions++;
      }
      // The generator must exercise real matches and both query shapes, or agreement proves little.
      expect(nonEmpty).toBeGreaterThan(QUERIES * 0.3);
      expect(driven).toBeGreaterThan(QUERIES * 0.2);
      expect(QUERIES - driven).toBeGreaterThan(QUERIES * 0.2);
      // …and the merged-branches plan of top-level ORs, and `list:` answering from the seeded lists' members.
      expect(unions).toBeGreaterThan(QUERIES * 0.02);
      expect(listed).toBeGreaterThan(0);
    }, 300_000);
  });
}

differential('sqlite', () => openStore(':memory:'));

onPostgres('search executors agree: postgres', (openPg) => differential('postgres', openPg));
