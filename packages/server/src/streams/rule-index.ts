/**
 * Filtered-stream rule index: matching cost grows with the rules a post could match, not with all rules.
 *
 * For every rule we derive a *requirement*: a set of index keys such that any post the rule matches carries at
 * least one of them (or "unbounded" when no such set can be derived, e.g. a rule whose positive clauses are all
 * negations). Keys are cheap facts of a post: its text tokens (own, quoted and reposted text — the stream
 * matcher's segments), hashtags, cashtags, mentions, url tokens and author. A post's keys select the candidate
 * rules; only those (and the unbounded ones) run the full compiled matcher, so the result is exactly the naive
 * "evaluate every rule" result (the property test checks this on random rule sets and posts).
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

/** The index keys a post carries (the same parts the stream matcher looks at). */
export function docKeys(doc: MatchDoc): Set<string> {
  const keys = new Set<string>();
  addText(keys, doc.post);
  if (doc.quoted && doc.post.quotedPostId) addText(keys, doc.quoted);
  if (doc.reposted && doc.post.repostedPostId) addText(keys, doc.reposted);
  keys.add('a:' + doc.author.id);
  keys.add('n:' + caseFold(doc.author.username));
  return keys;
}

/** The rules of one app, compiled and indexed. Immutable: a rule change builds a new set. */
export class RuleSet {
  readonly rules: readonly CompiledRule[];
  private readonly byKey = new Map<string, CompiledRule[]>();
  private readonly unbounded: CompiledRule[] = [];
  private readonly marks: Uint32Array;
  private epoch = 0;

  constructor(rules: readonly IndexedRule[]) {
    this.rules = rules.map((r, ord) => ({ ...r, ord, match: compileMatcher(r.ast, { mode: 'stream' }) }));
    this.marks = new Uint32Array(this.rules.length);
    for (const r of this.rules) {
      const req = requirement(r.ast);
      if (req === null) {
        this.unbounded.push(r);
        continue;
      }
      for (const k of req) {
        let list = this.byKey.get(k);
        if (!list) this.byKey.set(k, (list = []));
        list.push(r);
      }
    }
  }

  get size(): number {
    return this.rules.length;
  }

  /** Rules matching the post, in rule order: candidates from the index, then the full matcher. */
  match(doc: MatchDoc, keys: Set<string> = docKeys(doc)): CompiledRule[] {
    if (this.rules.length === 0) return [];
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const e = this.epoch;
    const out: CompiledRule[] = [];
    for (const r of this.unbounded) {
      this.marks[r.ord] = e;
      if (r.match(doc)) out.push(r);
    }
    for (const k of keys) {
      const list = this.byKey.get(k);
      if (!list) continue;
      for (const r of list) {
        if (this.marks[r.ord] === e) continue;
        this.marks[r.ord] = e;
        if (r.match(doc)) out.push(r);
      }
    }
    if (out.length > 1) out.sort((a, b) => a.ord - b.ord);
    return out;
  }

  /** The baseline: every rule's matcher on the post. */
  matchNaive(doc: MatchDoc): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const r of this.rules) if (r.match(doc)) out.push(r);
    return out;
  }
}
