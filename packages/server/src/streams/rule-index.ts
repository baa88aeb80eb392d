/**
 * Filtered-stream rule index: matching cost grows with the rules a post could match, not with all rules.
 *
 * For every rule we derive a *requirement*: a set of index keys such that any post the rule matches carries at
 * least one of them (or "unbounded" when no such set can be derived, e.g. a rule whose positive clauses are all
 * negations). Keys are cheap facts of a post: its text tokens (own, quoted and reposted text — the stream
 * matcher's segments), hashtags, cashtags, mentions, url tokens and author. A post's keys select the candidate
 * rules; only those (and the unbounded ones) are evaluated in full, so the result is exactly the naive
 * "evaluate every rule" result (the property test checks this on random rule sets and posts). Candidates are
 * evaluated over the facts the index already gathered where that is exact (see `compileFacts`).
 *
 * Requirements (stream mode, see query/matcher.ts):
 *  - keyword / emoji / phrase (also `~N`): every token must occur in one segment → the key of one token (the
 *    longest, as a rarity guess); no tokens → never matches → the empty set.
 *  - `#tag` / `$cash` / `@user`: that entity key. `url:v`: one of v's tokens among url tokens.
 *  - `from:`: the author's id or lower-case username.
 *  - AND: the smallest bounded child requirement. OR: the union (unbounded if any child is). NOT and every other
 *    operator: unbounded.
 */
import type { Node } from '../query/ast.js';
import { compileMatcher, type MatchDoc, type Matcher } from '../query/matcher.js';
import { caseFold, streamTokens } from '../query/tokens.js';
import type { PostRow } from '../data/rows.js';

export interface IndexedRule {
  id: string;
  tag: string | null;
  value: string;
  ast: Node;
}

export interface CompiledRule extends IndexedRule {
  match: Matcher;
  /** Position in the rule set (ascending id): matches are reported in this order. */
  ord: number;
}

/** null = unbounded (any post may match). */
type Requirement = Set<string> | null;

const pickToken = (toks: readonly string[]): string => toks.reduce((a, b) => (b.length > a.length ? b : a));

export function requirement(n: Node): Requirement {
  switch (n.kind) {
    case 'keyword':
    case 'emoji':
    case 'phrase': {
      const toks = streamTokens(n.value);
      return toks.length === 0 ? new Set() : new Set(['t:' + pickToken(toks)]);
    }
    case 'hashtag':
      return new Set(['h:' + caseFold(n.tag)]);
    case 'cashtag':
      return new Set(['c:' + caseFold(n.symbol)]);
    case 'mention':
      return new Set(['m:' + caseFold(n.username)]);
    case 'url': {
      const toks = streamTokens(n.value);
      return toks.length === 0 ? new Set() : new Set(['u:' + pickToken(toks)]);
    }
    case 'from':
      return new Set([n.user.type === 'id' ? 'a:' + n.user.id : 'n:' + n.user.username]);
    case 'and': {
      let best: Requirement = null;
      for (const c of n.children) {
        const r = requirement(c);
        if (r !== null && (best === null || r.size < best.size)) best = r;
      }
      return best;
    }
    case 'or': {
      const out = new Set<string>();
      for (const c of n.children) {
        const r = requirement(c);
        if (r === null) return null;
        for (const k of r) out.add(k);
      }
      return out;
    }
    default:
      return null;
  }
}

function addText(keys: Set<string>, post: PostRow): void {
  const text = post.noteText ?? post.text;
  const entities = post.noteEntities ?? post.entities;
  for (const t of streamTokens(text)) keys.add('t:' + t);
  for (const h of entities?.hashtags ?? []) keys.add('h:' + caseFold(h.tag));
  for (const h of entities?.cashtags ?? []) keys.add('c:' + caseFold(h.tag));
  for (const m of entities?.mentions ?? []) keys.add('m:' + caseFold(m.username));
  for (const u of entities?.urls ?? []) {
    for (const t of streamTokens(u.url)) keys.add('u:' + t);
    if (u.expanded_url) for (const t of streamTokens(u.expanded_url)) keys.add('u:' + t);
  }
}

/** The index keys a post carries (the same parts the stream matcher looks at; `RuleSet.match` walks them inline). */
export function docKeys(doc: MatchDoc): Set<string> {
  const keys = new Set<string>();
  addText(keys, doc.post);
  if (doc.quoted && doc.post.quotedPostId) addText(keys, doc.quoted);
  if (doc.reposted && doc.post.repostedPostId) addText(keys, doc.reposted);
  keys.add('a:' + doc.author.id);
  keys.add('n:' + caseFold(doc.author.username));
  return keys;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Calls `fn` with every stream token of `text` — exactly `streamTokens(text)`. ASCII text (most posts) takes a
 * scanner: there the tokenizer's classes reduce to runs of [a-z0-9] after lower-casing (no ASCII character is a
 * letter-mark-number outside them, nor pictographic); anything else goes through `streamTokens`.
 */
export function forEachToken(text: string, fn: (tok: string) => void): void {
  if (NON_ASCII.test(text)) {
    for (const t of streamTokens(text)) fn(t);
    return;
  }
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const ch = i < lower.length ? lower.charCodeAt(i) : 0;
    const word = (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      fn(lower.slice(start, i));
      start = -1;
    }
  }
}

/** `caseFold` (NFC + lower case); NFC is the identity on ASCII, so ASCII strings skip it. */
const fold = (s: string): string => (NON_ASCII.test(s) ? caseFold(s) : s.toLowerCase());

type Kind = 't' | 'h' | 'c' | 'm' | 'u' | 'a' | 'n';

/**
 * What the index already computed about a post: its stream tokens over all segments and its entity values (case
 * folded) — the same unions the matcher builds (query/matcher.ts `prepare`).
 */
interface Facts {
  doc: MatchDoc;
  tokens: Set<string>;
  hashtags: Set<string>;
  cashtags: Set<string>;
  mentions: Set<string>;
}

type FactTest = (f: Facts) => boolean;

/**
 * A rule compiled over `Facts`: single-token keywords and #/$/@ leaves are answered from the facts (exactly the
 * matcher's meaning in stream mode: a one-token keyword matches iff the token occurs in some segment; an entity
 * leaf iff the value is among the segments' entities); every other leaf runs the matcher's own compiled leaf.
 * The boolean structure is the matcher's (plain AND / OR / NOT). Leaves answered from facts skip the matcher's
 * per-post preparation (tokenizing every segment again), which dominates the cost of a candidate.
 */
function compileFacts(n: Node): FactTest {
  switch (n.kind) {
    case 'and': {
      const cs = n.children.map(compileFacts);
      return (f) => {
        for (const c of cs) if (!c(f)) return false;
        return true;
      };
    }
    case 'or': {
      const cs = n.children.map(compileFacts);
      return (f) => {
        for (const c of cs) if (c(f)) return true;
        return false;
      };
    }
    case 'not': {
      const c = compileFacts(n.child);
      return (f) => !c(f);
    }
    case 'keyword':
    case 'emoji': {
      const toks = streamTokens(n.value);
      if (toks.length === 1) {
        const tok = toks[0]!;
        return (f) => f.tokens.has(tok);
      }
      break;
    }
    case 'hashtag': {
      const v = caseFold(n.tag);
      return (f) => f.hashtags.has(v);
    }
    case 'cashtag': {
      const v = caseFold(n.symbol);
      return (f) => f.cashtags.has(v);
    }
    case 'mention': {
      const v = caseFold(n.username);
      return (f) => f.mentions.has(v);
    }
    default:
      break;
  }
  const m = compileMatcher(n, { mode: 'stream' });
  return (f) => m(f.doc);
}

/** The rules of one app, compiled and indexed. Immutable: a rule change builds a new set. */
export class RuleSet {
  readonly rules: readonly CompiledRule[];
  private readonly tests: FactTest[];
  /** One map per key kind (no key strings are built per post). */
  private readonly maps: Record<Kind, Map<string, CompiledRule[]>> = {
    t: new Map(), h: new Map(), c: new Map(), m: new Map(), u: new Map(), a: new Map(), n: new Map(),
  };
  private readonly unbounded: CompiledRule[] = [];
  private readonly marks: Uint32Array;
  private epoch = 0;

  constructor(rules: readonly IndexedRule[]) {
    this.rules = rules.map((r, ord) => ({ ...r, ord, match: compileMatcher(r.ast, { mode: 'stream' }) }));
    this.tests = rules.map((r) => compileFacts(r.ast));
    this.marks = new Uint32Array(this.rules.length);
    for (const r of this.rules) {
      const req = requirement(r.ast);
      if (req === null) {
        this.unbounded.push(r);
        continue;
      }
      for (const k of req) {
        const map = this.maps[k[0] as Kind];
        const key = k.slice(2);
        let list = map.get(key);
        if (!list) map.set(key, (list = []));
        list.push(r);
      }
    }
  }

  get size(): number {
    return this.rules.length;
  }

  // Per-post scratch, reused (match is synchronous): no sets or closures are allocated per post.
  private readonly f: Facts = { doc: null as unknown as MatchDoc, tokens: new Set(), hashtags: new Set(), cashtags: new Set(), mentions: new Set() };
  private readonly urlTokens = new Set<string>();
  private readonly addToken = (t: string) => this.f.tokens.add(t);
  private readonly addUrl = (t: string) => this.urlTokens.add(t);
  private out: CompiledRule[] = [];

  /** Rules matching the post, in rule order: candidates from the index, then the rule's full test. */
  match(doc: MatchDoc): CompiledRule[] {
    if (this.rules.length === 0) return [];
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const f = this.f;
    f.doc = doc;
    f.tokens.clear();
    f.hashtags.clear();
    f.cashtags.clear();
    f.mentions.clear();
    const withUrls = this.maps.u.size > 0;
    if (withUrls) this.urlTokens.clear();
    this.gather(doc.post, withUrls);
    if (doc.quoted && doc.post.quotedPostId) this.gather(doc.quoted, withUrls);
    if (doc.reposted && doc.post.repostedPostId) this.gather(doc.reposted, withUrls);
    const out: CompiledRule[] = (this.out = []);
    this.visit(this.unbounded);
    const { t, h, c, m, u, a, n } = this.maps;
    if (t.size) for (const k of f.tokens) this.visit(t.get(k));
    if (h.size) for (const k of f.hashtags) this.visit(h.get(k));
    if (c.size) for (const k of f.cashtags) this.visit(c.get(k));
    if (m.size) for (const k of f.mentions) this.visit(m.get(k));
    if (withUrls) for (const k of this.urlTokens) this.visit(u.get(k));
    if (a.size) this.visit(a.get(doc.author.id));
    if (n.size) this.visit(n.get(fold(doc.author.username)));
    f.doc = null as unknown as MatchDoc;
    if (out.length > 1) out.sort((x, y) => x.ord - y.ord);
    return out;
  }

  private gather(post: PostRow, withUrls: boolean): void {
    const f = this.f;
    forEachToken(post.noteText ?? post.text, this.addToken);
    const entities = post.noteEntities ?? post.entities;
    if (!entities) return;
    if (entities.hashtags) for (const x of entities.hashtags) f.hashtags.add(fold(x.tag));
    if (entities.cashtags) for (const x of entities.cashtags) f.cashtags.add(fold(x.tag));
    if (entities.mentions) for (const x of entities.mentions) f.mentions.add(fold(x.username));
    if (withUrls && entities.urls) {
      for (const x of entities.urls) {
        forEachToken(x.url, this.addUrl);
        if (x.expanded_url) forEachToken(x.expanded_url, this.addUrl);
      }
    }
  }

  private visit(list: CompiledRule[] | undefined): void {
    if (!list) return;
    const e = this.epoch;
    for (const r of list) {
      if (this.marks[r.ord] === e) continue;
      this.marks[r.ord] = e;
      if (this.tests[r.ord]!(this.f)) this.out.push(r);
    }
  }

  /** The baseline: every rule's matcher on the post. */
  matchNaive(doc: MatchDoc): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const r of this.rules) if (r.match(doc)) out.push(r);
    return out;
  }
}
