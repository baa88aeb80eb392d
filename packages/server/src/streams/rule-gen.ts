/**
 * Deterministic random filtered-stream rules and posts, shared by the rule-index property test and the
 * `bench:streams` benchmark. Rules are written as text and go through the real front end (`parseQuery`, product
 * stream); posts are `MatchDoc`s with entities, quotes, reposts and media, drawn from the same vocabulary so that
 * rules do match.
 */
import { newPostRow, type PostEntities, type PostRow, type UserRow } from '../data/rows.js';
import { parseQuery } from '../query/index.js';
import type { MatchDoc } from '../query/matcher.js';
import type { IndexedRule } from './rule-index.js';
import { mulberry32 } from '../util/random.js';

/** The seeded generator the rule sets and posts are drawn from. */
export const rng = mulberry32;

export interface GenOptions {
  /** Distinct words (default 60: many matches; the benchmark uses thousands). */
  words?: number;
  tags?: number;
  users?: number;
  /**
   * Rules as people write them (benchmark): specific keywords, phrases, hashtags, mentions and authors, ORed,
   * narrowed by flags (`lang:`, `-is:retweet`, `has:media`); no rule that matches most posts. Default: the
   * property test's adversarial mix (negations, counts, samples, deep nesting).
   */
  realistic?: boolean;
}

export class RuleWorld {
  private readonly words: string[];
  private readonly tags: string[];
  readonly users: UserRow[];
  private nextId = 1_500_000_000_000_000_000n;

  private readonly realistic: boolean;

  constructor(
    private readonly rand: () => number,
    opts: GenOptions = {},
  ) {
    this.realistic = opts.realistic ?? false;
    const nw = opts.words ?? 60;
    const extra = ['café', 'cafe', 'coca-cola', 'naïve', '🐱', 'the', 'and'];
    this.words = [...Array.from({ length: nw }, (_, i) => `w${i.toString(36)}`), ...extra];
    this.tags = Array.from({ length: opts.tags ?? 20 }, (_, i) => `Tag${i}`);
    this.users = Array.from({ length: opts.users ?? 20 }, (_, i) => ({
      id: String(1000 + i), username: `User${i}`, name: `User ${i}`, description: `bio w${i}`, location: null, url: null,
      profileImageUrl: '', profileBannerUrl: null, protected: false, verified: i % 3 === 0, verifiedType: 'none',
      suspended: false, createdAt: 0, pinnedPostId: null, mostRecentPostId: null, followersCount: i * 100,
      followingCount: 10, tweetCount: i * 7, listedCount: i, likeCount: 0, entities: null, withheld: null,
    }));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  /** Zipf-like: low indexes are common, as in real text. */
  private word(): string {
    const r = this.rand();
    return this.words[Math.floor(this.words.length * r * r)]!;
  }

  private leaf(): string {
    const r = this.rand();
    if (r < 0.35) return this.word();
    if (r < 0.45) return `"${this.word()} ${this.word()}"`;
    if (r < 0.5) return `"${this.word()} ${this.word()}"~3`;
    if (r < 0.6) return `#${this.pick(this.tags)}`;
    if (r < 0.65) return `@${this.pick(this.users).username}`;
    if (r < 0.72) return this.rand() < 0.5 ? `from:${this.pick(this.users).username}` : `from:${this.pick(this.users).id}`;
    if (r < 0.75) return `url:${this.word()}`;
    if (r < 0.78) return `-${this.word()}`;
    if (r < 0.8) return `-#${this.pick(this.tags)}`;
    if (r < 0.83) return this.pick(['lang:en', 'lang:ja', 'is:retweet', '-is:retweet', 'is:quote', 'has:media', 'has:hashtags', 'is:verified']);
    if (r < 0.85) return `sample:${1 + Math.floor(this.rand() * 99)}`;
    if (r < 0.87) return `followers_count:${Math.floor(this.rand() * 1000)}`;
    if (r < 0.89) return `-from:${this.pick(this.users).username}`;
    return this.word();
  }

  /** A rule term: any word of the vocabulary, equally likely (people pick specific terms). */
  private term(): string {
    const r = this.rand();
    const w = () => this.words[Math.floor(this.rand() * this.words.length)]!;
    if (r < 0.6) return w();
    if (r < 0.75) return `"${w()} ${w()}"`;
    if (r < 0.87) return `#${this.pick(this.tags)}`;
    if (r < 0.93) return `@${this.pick(this.users).username}`;
    return `from:${this.pick(this.users).username}`;
  }

  private realisticRule(): string {
    const n = 1 + Math.floor(this.rand() * 3);
    const terms = Array.from({ length: n }, () => this.term());
    let rule = n === 1 ? terms[0]! : this.rand() < 0.7 ? `(${terms.join(' OR ')})` : terms.join(' ');
    const r = this.rand();
    if (r < 0.3) rule += ' -is:retweet';
    else if (r < 0.45) rule += ' lang:en';
    else if (r < 0.55) rule += ' has:media';
    else if (r < 0.6) rule += ` -${this.words[Math.floor(this.rand() * this.words.length)]}`;
    return rule;
  }

  private clause(depth: number): string {
    const r = this.rand();
    if (depth <= 0 || r < 0.45) return this.leaf();
    const n = 2 + Math.floor(this.rand() * 2);
    const parts = Array.from({ length: n }, () => this.clause(depth - 1));
    if (r < 0.75) return parts.join(' ');
    return `(${parts.join(' OR ')})`;
  }

  /** `n` valid, distinct stream rules (invalid draws, e.g. only negations, are drawn again). */
  rules(n: number): IndexedRule[] {
    const out: IndexedRule[] = [];
    const seen = new Set<string>();
    let tries = 0;
    while (out.length < n && tries++ < n * 50) {
      const value = this.realistic ? this.realisticRule() : this.clause(3);
      if (seen.has(value)) continue;
      const p = parseQuery(value, { product: 'stream' });
      if (!p.ok) continue;
      seen.add(value);
      out.push({ id: String(1_000_000_000_000_000_000n + BigInt(out.length)), tag: out.length % 2 ? `t${out.length}` : null, value, ast: p.ast });
    }
    return out;
  }

  private postRow(author: UserRow): PostRow {
    const id = String(this.nextId++);
    const words: string[] = [];
    const len = 4 + Math.floor(this.rand() * 12);
    for (let i = 0; i < len; i++) words.push(this.word());
    const entities: PostEntities = {};
    const nTags = Math.floor(this.rand() * 3);
    for (let i = 0; i < nTags; i++) {
      const tag = this.pick(this.tags);
      const text = words.join(' ');
      words.push(`#${tag}`);
      (entities.hashtags ??= []).push({ start: text.length + 1, end: text.length + 2 + tag.length, tag });
    }
    if (this.rand() < 0.3) {
      const u = this.pick(this.users);
      const text = words.join(' ');
      words.push(`@${u.username}`);
      (entities.mentions ??= []).push({ start: text.length + 1, end: text.length + 2 + u.username.length, username: u.username, id: u.id });
    }
    if (this.rand() < 0.2) {
      const host = this.word().replace(/[^a-z0-9]/g, '') || 'site';
      const url = 'https://t.co/abc';
      words.push(url);
      (entities.urls ??= []).push({ start: 0, end: 0, url, expanded_url: `https://${host}.example.com/${this.word()}`, display_url: host });
    }
    return {
      ...newPostRow(id, author.id, 0),
      text: words.join(' '),
      entities: Object.keys(entities).length ? entities : null,
      lang: this.rand() < 0.7 ? 'en' : 'ja',
      mediaKeys: this.rand() < 0.15 ? ['3_1'] : null,
    };
  }

  /** A random post (sometimes a quote or a repost of another random post). */
  doc(): MatchDoc {
    const author = this.pick(this.users);
    const post = this.postRow(author);
    const d: MatchDoc = { post, author };
    const r = this.rand();
    if (r < 0.15) {
      const qa = this.pick(this.users);
      const q = this.postRow(qa);
      post.quotedPostId = q.id;
      d.quoted = q;
      d.quotedAuthor = qa;
    } else if (r < 0.25) {
      const ra = this.pick(this.users);
      const rp = this.postRow(ra);
      post.repostedPostId = rp.id;
      post.text = `RT @${ra.username}: ${rp.text}`;
      d.reposted = rp;
      d.repostedAuthor = ra;
    }
    return d;
  }
}
