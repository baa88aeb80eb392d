/**
 * Compiles a parsed search query (query/ast.ts) into SQL with exactly the in-memory matcher's meaning in search
 * mode (query/matcher.ts header): text-like leaves become token expressions over the search document
 * (search/doc.ts) answered by the full-text index; the rest become conditions on the post row `p`, its author `a`,
 * and the `post_geo` table. Every condition is two-valued (never SQL NULL), so NOT means what the matcher's `!`
 * means.
 *
 * Placeholders are `?`; data/search.ts numbers them for PostgreSQL.
 */
import type { Node, UserOpNode, UserRef } from '../query/ast.js';
import { EARTH_RADIUS_MI } from '../query/parser.js';
import { caseFold, searchTokens } from '../query/tokens.js';
import type { Dialect } from '../db/dialect.js';
import { entityFold, enc, feature, flag, type Flag } from './doc.js';
import { renderText, type TextExpr } from './text-expr.js';
import { idInRange } from '../util/snowflake.js';

export interface Cond {
  sql: string;
  params: unknown[];
}

/** What a query asks of the store. */
export interface Plan {
  /** No post can match (e.g. a keyword with no tokens). */
  never: boolean;
  /** Full-text query that drives the scan (newest first through the index), or null: scan posts. */
  driver: string | null;
  /** Further conditions (null: none). */
  cond: Cond | null;
  /**
   * A positive top-level `from:`: the author's posts (author index) can drive; beside an index-driven text part
   * the executor picks whichever walk is cheaper.
   */
  author?: UserRef;
  /**
   * A top-level OR whose every branch can be driven (by the index or an author's posts): newest-first pages can be
   * answered as the merge of each branch's own page. `driver`/`cond` still describe the whole query.
   */
  union?: Plan[];
}

type C = { k: 'text'; t: TextExpr } | { k: 'sql'; c: Cond } | { k: 'const'; v: boolean };

const TRUE: C = { k: 'const', v: true };
const FALSE: C = { k: 'const', v: false };

const KM_PER_MI = 1.609344;
const RAD = Math.PI / 180;

function seqOf(toks: string[]): C {
  return toks.length === 0 ? FALSE : { k: 'text', t: { k: 'seq', toks } };
}

function cond(sql: string, ...params: unknown[]): C {
  return { k: 'sql', c: { sql, params } };
}

/** What a query's meaning depends on beyond its text. */
export interface PlanScope {
  /**
   * The lists named by `list:` that the searcher may see (pipeline/rules.ts decides, before compiling): `list:` of
   * any other list — unknown, or someone else's private list — matches nothing, exactly as an unknown list does.
   */
  lists?: ReadonlySet<string>;
}

const NO_LISTS: ReadonlySet<string> = new Set();

export class SearchCompiler {
  /**
   * Text parts nested in conditions become per-row index probes (`rowMatch`) instead of materialized id lists —
   * cheaper when something else (the index, an author) already picks few candidate rows.
   */
  private correlated = false;
  /** The scope of the query being planned (planning is synchronous: one query at a time). */
  private lists: ReadonlySet<string> = NO_LISTS;

  constructor(private readonly d: Dialect) {}

  plan(ast: Node, scope: PlanScope = {}): Plan {
    this.lists = scope.lists ?? NO_LISTS;
    try {
      return this.planAll(ast);
    } finally {
      this.lists = NO_LISTS;
    }
  }

  private planAll(ast: Node): Plan {
    const out = this.planOne(ast);
    if (ast.kind === 'or' && !out.never && out.driver === null) {
      const branches = ast.children.map((c) => this.planOne(c)).filter((b) => !b.never);
      if (branches.length > 0 && branches.every((b) => b.driver !== null || b.author)) out.union = branches;
    }
    return out;
  }

  private planOne(ast: Node): Plan {
    const root = this.comp(ast);
    if (root.k === 'const') return { never: !root.v, driver: null, cond: null };
    if (root.k === 'text') {
      const driver = renderText(root.t, this.d.search.renderer);
      return driver !== null ? { never: false, driver, cond: null } : { never: false, driver: null, cond: this.textCond(root.t) };
    }
    // A conjunction whose full-text part the index can answer alone: let the index drive.
    if (ast.kind === 'and') {
      this.correlated = true;
      let parts: C[];
      try {
        parts = ast.children.map((c) => this.comp(c));
      } finally {
        this.correlated = false;
      }
      if (parts.some((p) => p.k === 'const' && !p.v)) return { never: true, driver: null, cond: null };
      const texts = parts.filter((p): p is Extract<C, { k: 'text' }> => p.k === 'text').map((p) => p.t);
      const sqls = parts.filter((p): p is Extract<C, { k: 'sql' }> => p.k === 'sql').map((p) => p.c);
      if (texts.length > 0) {
        const t: TextExpr = texts.length === 1 ? texts[0]! : { k: 'and', c: texts };
        const driver = renderText(t, this.d.search.renderer);
        if (driver !== null) {
          const from = ast.children.find((c): c is UserOpNode => c.kind === 'from');
          const out: Plan = { never: false, driver, cond: sqls.length ? joinConds(sqls, 'and') : null };
          if (from) out.author = from.user;
          return out;
        }
      }
      // The author's posts drive: every other part is checked per row (text by index probes).
      const from = ast.children.find((c): c is UserOpNode => c.kind === 'from');
      if (from) {
        this.correlated = true;
        try {
          const conds = parts.filter((p) => p.k !== 'const').map((p) => this.toCond(p));
          return { never: false, driver: null, cond: joinConds(conds, 'and'), author: from.user };
        } finally {
          this.correlated = false;
        }
      }
    }
    const plan: Plan = { never: false, driver: null, cond: this.toCond(root) };
    const from = ast.kind === 'from' ? ast : ast.kind === 'and' ? ast.children.find((c): c is UserOpNode => c.kind === 'from') : undefined;
    if (from) plan.author = from.user;
    return plan;
  }

  private toCond(c: C): Cond {
    if (c.k === 'sql') return c.c;
    if (c.k === 'text') return this.textCond(c.t);
    return { sql: c.v ? '1=1' : '1=0', params: [] };
  }

  /** A token expression as a condition on `p.id`, split where the engine cannot answer a part alone. */
  private textCond(t: TextExpr): Cond {
    const rendered = renderText(t, this.d.search.renderer);
    if (rendered !== null) {
      return { sql: this.correlated ? this.d.search.rowMatch : `p.id in (${this.d.search.matchingIds})`, params: [rendered] };
    }
    switch (t.k) {
      case 'not': {
        const inner = this.textCond(t.c);
        return { sql: `not (${inner.sql})`, params: inner.params };
      }
      case 'and':
      case 'or':
        return joinConds(t.c.map((c) => this.textCond(c)), t.k);
      case 'seq':
        throw new Error('unreachable: a sequence always renders');
    }
  }

  private comp(n: Node): C {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const isAnd = n.kind === 'and';
        const parts: C[] = [];
        for (const child of n.children) {
          const c = this.comp(child);
          if (c.k === 'const') {
            if (c.v !== isAnd) return c; // false in an AND, true in an OR decides it
            continue;
          }
          parts.push(c);
        }
        if (parts.length === 0) return isAnd ? TRUE : FALSE;
        if (parts.length === 1) return parts[0]!;
        const texts = parts.filter((p): p is Extract<C, { k: 'text' }> => p.k === 'text').map((p) => p.t);
        if (texts.length === parts.length) return { k: 'text', t: { k: n.kind, c: texts } };
        const conds: Cond[] = parts.filter((p): p is Extract<C, { k: 'sql' }> => p.k === 'sql').map((p) => p.c);
        if (texts.length) conds.unshift(this.textCond(texts.length === 1 ? texts[0]! : { k: n.kind, c: texts }));
        return { k: 'sql', c: joinConds(conds, n.kind) };
      }
      case 'not': {
        const c = this.comp(n.child);
        if (c.k === 'const') return { k: 'const', v: !c.v };
        if (c.k === 'text') return { k: 'text', t: { k: 'not', c: c.t } };
        return cond(`not (${c.c.sql})`, ...c.c.params);
      }
      case 'keyword':
      case 'emoji':
        return seqOf(searchTokens(n.value).map(enc));
      case 'phrase':
        // `~N` proximity is a stream-only operator; search products reject it before compiling.
        if (n.proximity !== null && n.proximity > 0) throw new Error('proximity phrases are not a search operator');
        return seqOf(searchTokens(n.value).map(enc));
      case 'hashtag':
        return seqOf([feature('h', caseFold(n.tag))]);
      case 'cashtag':
        return seqOf([feature('k', caseFold(n.symbol))]);
      case 'mention':
        return seqOf([feature('m', caseFold(n.username))]);
      case 'url':
        return seqOf(searchTokens(n.value).map((t) => feature('u', t)));
      case 'entity':
        return seqOf([feature('a', entityFold(n.value))]);
      case 'place': {
        const byId: TextExpr = { k: 'seq', toks: [feature('i', n.value)] };
        const name = searchTokens(n.value).map((t) => feature('p', t));
        return { k: 'text', t: name.length ? { k: 'or', c: [byId, { k: 'seq', toks: name }] } : byId };
      }
      case 'place_country':
        return seqOf([feature('c', n.code.toUpperCase())]);
      case 'has':
        return seqOf([flag(n.value as Flag)]);
      case 'is':
        switch (n.value) {
          case 'nullcast': return seqOf([flag('nullcast')]);
          case 'retweet': return cond('p.reposted_post_id is not null');
          case 'reply': return cond('p.in_reply_to_post_id is not null');
          case 'quote': return cond('p.quoted_post_id is not null');
          case 'verified': return cond('a.verified = 1');
        }
        break;
      case 'from':
        // An equality on p.author_id either way, so the (author_id, id) index can drive; -1 (no such user) keeps
        // the comparison two-valued under NOT.
        return n.user.type === 'id'
          ? this.idEq('p.author_id = ?', n.user.id)
          : cond('p.author_id = coalesce((select id from users where username_lower = ?), -1)', n.user.username);
      case 'to':
        if (n.user.type === 'id') {
          return this.idEq('(p.in_reply_to_user_id is not null and p.in_reply_to_user_id = ?)', n.user.id);
        }
        return cond(
          '(p.in_reply_to_post_id is not null and p.in_reply_to_user_id is not null and ' +
            'p.in_reply_to_user_id in (select id from users where username_lower = ?))',
          n.user.username,
        );
      case 'retweets_of':
        return this.retweetsOf(n.user);
      case 'conversation_id':
        return this.idEq('p.conversation_id = ?', n.id);
      case 'in_reply_to_tweet_id':
        return this.idEq('(p.in_reply_to_post_id is not null and p.in_reply_to_post_id = ?)', n.id);
      case 'retweets_of_tweet_id':
        return this.idEq('(p.reposted_post_id is not null and p.reposted_post_id = ?)', n.id);
      case 'quotes_of_tweet_id':
        return this.idEq('(p.quoted_post_id is not null and p.quoted_post_id = ?)', n.id);
      case 'min_likes':
        return cond('p.like_count >= ?', n.n);
      case 'min_replies':
        return cond('p.reply_count >= ?', n.n);
      case 'min_reposts':
        return cond('p.retweet_count >= ?', n.n);
      case 'lang':
        return cond('lower(p.lang) = ?', n.code.toLowerCase());
      case 'point_radius':
        return this.pointRadius(n.lon, n.lat, n.radiusKm);
      case 'bounding_box':
        return this.boundingBox(n.west, n.south, n.east, n.north);
      case 'list':
        // The list's members, as matcher documents carry them (`authorListIds`, search/match-docs.ts).
        return this.lists.has(n.id) ? this.idEq('p.author_id in (select member_id from list_members where list_id = ?)', n.id) : FALSE;
      // No context annotations, affiliations or embeddings are stored: these match nothing, exactly as the matcher
      // does when a document carries none.
      case 'context':
      case 'from_affiliate_of':
      case 'to_affiliate_of':
      case 'embedding':
        return FALSE;
      case 'embedding_threshold':
        return TRUE;
      case 'bio':
      case 'bio_name':
      case 'bio_location':
      case 'url_title':
      case 'url_description':
      case 'url_contains':
      case 'source':
      case 'count_range':
      case 'min_followers':
      case 'sample':
        // Stream-only operators (query/products.ts); a search query carrying one was refused while parsing.
        throw new Error(`${n.kind === 'count_range' ? n.field : n.kind}: not a search operator`);
    }
    throw new Error(`SearchCompiler: unhandled node ${(n as Node).kind}`);
  }

  /**
   * An id comparison. Ids are 64-bit; the query language accepts up to 19 digits, and a larger value equals no
   * stored id (as in the matcher, which compares strings) — so no bind value outside the column's range.
   */
  private idEq(sql: string, id: string): C {
    return idInRange(id) ? cond(sql, this.d.idParam(id)) : FALSE;
  }

  private retweetsOf(ref: UserRef): C {
    if (ref.type === 'id' && !idInRange(ref.id)) return FALSE;
    const author = ref.type === 'id' ? 'r.author_id = ?' : 'r.author_id in (select id from users where username_lower = ?)';
    return cond(
      `(p.reposted_post_id is not null and exists (select 1 from posts r where r.id = p.reposted_post_id and ${author}))`,
      ref.type === 'id' ? this.d.idParam(ref.id) : ref.username,
    );
  }

  /** Haversine exactly as query/parser.ts `haversineMi`, operation for operation, converted to km. */
  private distKm(lon: number, lat: number, x: string, y: string): Cond {
    const { least, real: f } = this.d.search;
    const sql =
      `(2 * ${f} * asin(${least}(1.0, sqrt(` +
      `sin(((${y} - ${f}) * ${f}) / 2) * sin(((${y} - ${f}) * ${f}) / 2) + ` +
      `cos(${f} * ${f}) * cos(${y} * ${f}) * (sin(((${x} - ${f}) * ${f}) / 2) * sin(((${x} - ${f}) * ${f}) / 2))` +
      `))) * ${f})`;
    return { sql, params: [EARTH_RADIUS_MI, lat, RAD, lat, RAD, lat, RAD, RAD, lon, RAD, lon, RAD, KM_PER_MI] };
  }

  private pointRadius(lon: number, lat: number, radiusKm: number): C {
    const within = (x: string, y: string): Cond => {
      const dist = this.distKm(lon, lat, x, y);
      return { sql: `${dist.sql} <= ${this.d.search.real}`, params: [...dist.params, radiusKm] };
    };
    const point = within('g.lon', 'g.lat');
    const corners = [within('g.west', 'g.south'), within('g.west', 'g.north'), within('g.east', 'g.south'), within('g.east', 'g.north')];
    const box = joinConds(corners, 'and');
    return cond(
      `p.id in (select g.post_id from post_geo g where (g.lon is not null and ${point.sql}) or (g.west is not null and ${box.sql}))`,
      ...point.params,
      ...box.params,
    );
  }

  private boundingBox(west: number, south: number, east: number, north: number): C {
    const lonIn = (x: string): Cond =>
      west <= east ? { sql: `(${x} >= ? and ${x} <= ?)`, params: [west, east] } : { sql: `(${x} >= ? or ${x} <= ?)`, params: [west, east] };
    const latIn = (y: string): Cond => ({ sql: `(${y} >= ? and ${y} <= ?)`, params: [south, north] });
    const point = joinConds([lonIn('g.lon'), latIn('g.lat')], 'and');
    const box =
      west <= east
        ? { sql: '(g.west >= ? and g.east <= ? and g.south >= ? and g.north <= ?)', params: [west, east, south, north] }
        : joinConds([lonIn('g.west'), lonIn('g.east'), latIn('g.south'), latIn('g.north')], 'and');
    return cond(
      `p.id in (select g.post_id from post_geo g where (g.lon is not null and ${point.sql}) or (g.west is not null and ${box.sql}))`,
      ...point.params,
      ...box.params,
    );
  }
}

export function joinConds(cs: readonly Cond[], op: 'and' | 'or'): Cond {
  if (cs.length === 1) return cs[0]!;
  return { sql: '(' + cs.map((c) => c.sql).join(` ${op} `) + ')', params: cs.flatMap((c) => c.params) };
}
