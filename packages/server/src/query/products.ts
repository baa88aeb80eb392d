/**
 * Product rules (FACTS §5.1–5.2): which operators each product allows, enterprise-only operators, the
 * conjunction-required operators, negation rules, one `list:` per query, and length limits per product and tier.
 */
import { walk, type Node } from './ast.js';
import { msg } from './errors.js';
import { isStopKeyword } from './tokens.js';

export type Product = 'recent' | 'all' | 'counts_recent' | 'counts_all' | 'stream';
export type Tier = 'self_serve' | 'enterprise';
export const PRODUCTS: readonly Product[] = ['recent', 'all', 'counts_recent', 'counts_all', 'stream'];

const SEARCH: readonly Product[] = ['recent', 'all', 'counts_recent', 'counts_all'];
const EVERY: readonly Product[] = [...SEARCH, 'stream'];
const STREAM: readonly Product[] = ['stream'];

interface Availability { products: readonly Product[]; enterprise?: boolean }

/** Canonical operator (count ranges by field) → where it may be used. Proximity `~N` is listed as `~`. */
export const AVAILABILITY: Readonly<Record<string, Availability>> = {
  from: { products: EVERY },
  to: { products: EVERY },
  retweets_of: { products: EVERY },
  url: { products: EVERY },
  context: { products: EVERY },
  entity: { products: ['recent', 'counts_recent', 'stream'] },
  conversation_id: { products: EVERY },
  list: { products: SEARCH },
  in_reply_to_tweet_id: { products: EVERY },
  retweets_of_tweet_id: { products: EVERY },
  quotes_of_tweet_id: { products: SEARCH },
  place: { products: EVERY },
  place_country: { products: EVERY },
  point_radius: { products: EVERY },
  bounding_box: { products: EVERY },
  bio: { products: STREAM },
  bio_name: { products: STREAM },
  bio_location: { products: STREAM },
  from_affiliate_of: { products: STREAM },
  to_affiliate_of: { products: STREAM },
  url_title: { products: STREAM },
  url_description: { products: STREAM },
  url_contains: { products: STREAM },
  followers_count: { products: STREAM },
  tweets_count: { products: STREAM },
  following_count: { products: STREAM },
  listed_count: { products: STREAM },
  min_followers: { products: STREAM },
  source: { products: STREAM },
  min_likes: { products: EVERY },
  min_replies: { products: EVERY },
  min_reposts: { products: EVERY },
  is: { products: EVERY },
  has: { products: EVERY },
  lang: { products: EVERY },
  sample: { products: STREAM },
  embedding: { products: STREAM, enterprise: true },
  embedding_threshold: { products: STREAM, enterprise: true },
  '~': { products: STREAM },
};

/** Operators that cannot stand alone (FACTS §5.1). */
export const CONJUNCTION_REQUIRED: ReadonlySet<string> = new Set(['is', 'has', 'lang', 'sample', 'embedding_threshold']);

export function operatorAvailable(op: string, product: Product, tier: Tier): boolean {
  const a = AVAILABILITY[op];
  if (!a) return false;
  if (a.enterprise && tier !== 'enterprise') return false;
  return a.products.includes(product);
}

/** Query/rule length limit (characters, counted in code points). */
export function lengthLimit(product: Product, tier: Tier): number {
  if (product === 'stream') return tier === 'enterprise' ? 2048 : 1024;
  if (tier === 'enterprise') return 4096;
  return product === 'recent' || product === 'counts_recent' ? 512 : 1024;
}

function opKey(n: Node): string | null {
  switch (n.kind) {
    case 'and': case 'or': case 'not': case 'keyword': case 'emoji': case 'hashtag': case 'mention': case 'cashtag':
      return null;
    case 'phrase':
      return n.proximity === null ? null : '~';
    case 'count_range':
      return n.field;
    default:
      return n.kind;
  }
}

/** A clause that on its own makes a query acceptable. */
export function isPositive(n: Node): boolean {
  switch (n.kind) {
    case 'and': return n.children.some(isPositive);
    case 'or': return n.children.every(isPositive);
    case 'not': return false;
    case 'keyword': return !isStopKeyword(n.value);
    case 'phrase': return n.value.trim() !== '';
    case 'emoji': case 'hashtag': case 'mention': case 'cashtag': return true;
    default: return !CONJUNCTION_REQUIRED.has(opKey(n) ?? '');
  }
}

/** Product/tier checks on a parsed AST; returns X-style messages (empty = valid). */
export function validateForProduct(ast: Node, product: Product, tier: Tier, checkPositive = true): string[] {
  const errors: string[] = [];
  const push = (m: string) => { if (!errors.includes(m)) errors.push(m); };
  let lists = 0;
  walk(ast, (n, parent) => {
    const negated = parent?.kind === 'not';
    if (n.kind === 'not' && (n.child.kind === 'and' || n.child.kind === 'or')) push(msg.negatedGroup(n.pos));
    const key = opKey(n);
    if (key !== null && !operatorAvailable(key, product, tier)) push(msg.invalidOperator(key));
    if (n.kind === 'context' && n.entity === '*' && product !== 'stream') {
      push(msg.invalidValue('context:', `${n.domain}.*`, n.pos));
    }
    if (n.kind === 'is' && n.value === 'nullcast' && !negated) push(msg.mustBeNegated('is:nullcast', n.pos));
    if (n.kind === 'sample' && negated) push(msg.cannotBeNegated('sample:', parent!.pos));
    if (n.kind === 'list' && ++lists === 2) push(msg.onlyOne('list:', n.pos));
  });
  if (errors.length > 0 || !checkPositive) return errors;
  if (!isPositive(ast)) {
    let conj: Node | null = null;
    walk(ast, (n, parent) => {
      if (!conj && parent?.kind !== 'not' && CONJUNCTION_REQUIRED.has(opKey(n) ?? '')) conj = n;
    });
    const c = conj as Node | null;
    if (c) {
      const name = opKey(c)!;
      const label = c.kind === 'is' || c.kind === 'has' ? `${name}:${c.value}` : `${name}:`;
      errors.push(msg.standalone(label, c.pos));
    } else {
      errors.push(msg.noPositiveClause(ast.pos));
    }
  }
  return errors;
}
