/**
 * AST of X's query language (FACTS §5). Produced by `parser.ts`, validated per product by `products.ts`,
 * consumed by the SQL compiler and the in-memory matcher.
 *
 * Every node carries `pos`: the 1-based position (UTF-16 code unit, as X's Java front end reports) of the first
 * character of the clause in the query text — including a leading `-` for `not` nodes.
 * Values are normalized: operator names are canonical (aliases resolved), usernames/hashtags/cashtags are
 * lower-cased, ids are decimal strings, `place_country` is upper-case ISO-2, `lang` is X's canonical code.
 * Keywords and phrases keep their text as written; executors tokenize them with `tokens.ts`.
 */

export type Node = AndNode | OrNode | NotNode | Leaf;

export interface AndNode { kind: 'and'; children: Node[]; pos: number }
export interface OrNode { kind: 'or'; children: Node[]; pos: number }
/** `-clause`. The parser also builds `not` over a group (`-(a b)`) so validation can report it; it is never valid. */
export interface NotNode { kind: 'not'; child: Node; pos: number }

export type Leaf = TextLeaf | OperatorNode;
export type TextLeaf = KeywordNode | PhraseNode | HashtagNode | MentionNode | CashtagNode | EmojiNode;

export interface KeywordNode { kind: 'keyword'; value: string; pos: number }
/** Bare emoji sequence (e.g. `🐱`), matched like a keyword. */
export interface EmojiNode { kind: 'emoji'; value: string; pos: number }
/** `"exact phrase"` (escapes resolved); `proximity` for `"a b"~N` (stream only). */
export interface PhraseNode { kind: 'phrase'; value: string; proximity: number | null; pos: number }
export interface HashtagNode { kind: 'hashtag'; tag: string; pos: number }
export interface MentionNode { kind: 'mention'; username: string; pos: number }
export interface CashtagNode { kind: 'cashtag'; symbol: string; pos: number }

export type UserRef = { type: 'username'; username: string } | { type: 'id'; id: string };

export type UserOperator = 'from' | 'to' | 'retweets_of' | 'from_affiliate_of' | 'to_affiliate_of';
export interface UserOpNode { kind: UserOperator; user: UserRef; pos: number }

export type IdOperator =
  | 'conversation_id'
  | 'list'
  | 'in_reply_to_tweet_id'
  | 'retweets_of_tweet_id'
  | 'quotes_of_tweet_id';
export interface IdOpNode { kind: IdOperator; id: string; pos: number }

/** Free-text valued operators; `quoted` says whether the value was written as `"…"`. */
export type TextOperator =
  | 'url'
  | 'entity'
  | 'place'
  | 'bio'
  | 'bio_name'
  | 'bio_location'
  | 'url_title'
  | 'url_description'
  | 'url_contains'
  | 'source'
  | 'embedding';
export interface TextOpNode { kind: TextOperator; value: string; quoted: boolean; pos: number }

/** `context:domain.entity`; `entity: '*'` for `context:47.*` (stream only). */
export interface ContextNode { kind: 'context'; domain: string; entity: string; pos: number }
export interface PlaceCountryNode { kind: 'place_country'; code: string; pos: number }
export interface PointRadiusNode {
  kind: 'point_radius';
  lon: number;
  lat: number;
  radius: number;
  unit: 'km' | 'mi';
  /** radius converted to kilometres */
  radiusKm: number;
  pos: number;
}
export interface BoundingBoxNode { kind: 'bounding_box'; west: number; south: number; east: number; north: number; pos: number }

export type CountField = 'followers_count' | 'tweets_count' | 'following_count' | 'listed_count';
/** `followers_count:N` (≥ N) or `followers_count:N..M` (inclusive). */
export interface CountRangeNode { kind: 'count_range'; field: CountField; min: number; max: number | null; pos: number }

export type MinOperator = 'min_followers' | 'min_likes' | 'min_replies' | 'min_reposts';
export interface MinNode { kind: MinOperator; n: number; pos: number }

export type IsValue = 'retweet' | 'reply' | 'quote' | 'verified' | 'nullcast';
export interface IsNode { kind: 'is'; value: IsValue; pos: number }
export type HasValue = 'hashtags' | 'cashtags' | 'links' | 'mentions' | 'media' | 'images' | 'video_link' | 'geo';
export interface HasNode { kind: 'has'; value: HasValue; pos: number }
export interface LangNode { kind: 'lang'; code: string; pos: number }
export interface SampleNode { kind: 'sample'; percent: number; pos: number }
export interface EmbeddingThresholdNode { kind: 'embedding_threshold'; value: number; pos: number }

export type OperatorNode =
  | UserOpNode
  | IdOpNode
  | TextOpNode
  | ContextNode
  | PlaceCountryNode
  | PointRadiusNode
  | BoundingBoxNode
  | CountRangeNode
  | MinNode
  | IsNode
  | HasNode
  | LangNode
  | SampleNode
  | EmbeddingThresholdNode;

const USER_OPS = new Set<string>(['from', 'to', 'retweets_of', 'from_affiliate_of', 'to_affiliate_of']);
const ID_OPS = new Set<string>(['conversation_id', 'list', 'in_reply_to_tweet_id', 'retweets_of_tweet_id', 'quotes_of_tweet_id']);
const TEXT_OPS = new Set<string>([
  'url', 'entity', 'place', 'bio', 'bio_name', 'bio_location', 'url_title', 'url_description', 'url_contains', 'source', 'embedding',
]);
const MIN_OPS = new Set<string>(['min_followers', 'min_likes', 'min_replies', 'min_reposts']);

export function isUserOp(n: Node): n is UserOpNode { return USER_OPS.has(n.kind); }
export function isIdOp(n: Node): n is IdOpNode { return ID_OPS.has(n.kind); }
export function isTextOp(n: Node): n is TextOpNode { return TEXT_OPS.has(n.kind); }
export function isMinOp(n: Node): n is MinNode { return MIN_OPS.has(n.kind); }

/** Canonical operator name of a leaf (`count_range` reports its field), or null for text leaves / boolean nodes. */
export function operatorName(n: Node): string | null {
  switch (n.kind) {
    case 'and': case 'or': case 'not':
    case 'keyword': case 'emoji': case 'phrase': case 'hashtag': case 'mention': case 'cashtag':
      return null;
    case 'count_range':
      return n.field;
    default:
      return n.kind;
  }
}

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function textValue(value: string, quoted: boolean): string {
  return quoted || value === '' || /[\s()"]/.test(value) ? quote(value) : value;
}

function num(n: number): string {
  return String(n);
}

/**
 * Canonical printed form. Round-trips through the parser (same AST modulo `pos`). OR children that are ANDs
 * are parenthesized (`(a b) OR c`), AND children that are ORs too (`a (b OR c)`); aliases print canonical.
 */
export function toString(n: Node): string {
  switch (n.kind) {
    case 'and':
      return n.children.map((c) => (c.kind === 'or' ? `(${toString(c)})` : toString(c))).join(' ');
    case 'or':
      return n.children.map((c) => (c.kind === 'and' ? `(${toString(c)})` : toString(c))).join(' OR ');
    case 'not':
      return '-' + (n.child.kind === 'and' || n.child.kind === 'or' ? `(${toString(n.child)})` : toString(n.child));
    case 'keyword':
    case 'emoji':
      return n.value;
    case 'phrase':
      return quote(n.value) + (n.proximity === null ? '' : `~${n.proximity}`);
    case 'hashtag':
      return '#' + n.tag;
    case 'mention':
      return '@' + n.username;
    case 'cashtag':
      return '$' + n.symbol;
    case 'from': case 'to': case 'retweets_of': case 'from_affiliate_of': case 'to_affiliate_of':
      return `${n.kind}:${n.user.type === 'id' ? n.user.id : n.user.username}`;
    case 'conversation_id': case 'list': case 'in_reply_to_tweet_id': case 'retweets_of_tweet_id': case 'quotes_of_tweet_id':
      return `${n.kind}:${n.id}`;
    case 'url': case 'entity': case 'place': case 'bio': case 'bio_name': case 'bio_location':
    case 'url_title': case 'url_description': case 'url_contains': case 'source': case 'embedding':
      return `${n.kind}:${textValue(n.value, n.quoted)}`;
    case 'context':
      return `context:${n.domain}.${n.entity}`;
    case 'place_country':
      return `place_country:${n.code}`;
    case 'point_radius':
      return `point_radius:[${num(n.lon)} ${num(n.lat)} ${num(n.radius)}${n.unit}]`;
    case 'bounding_box':
      return `bounding_box:[${num(n.west)} ${num(n.south)} ${num(n.east)} ${num(n.north)}]`;
    case 'count_range':
      return `${n.field}:${n.min}${n.max === null ? '' : `..${n.max}`}`;
    case 'min_followers': case 'min_likes': case 'min_replies': case 'min_reposts':
      return `${n.kind}:${n.n}`;
    case 'is': case 'has':
      return `${n.kind}:${n.value}`;
    case 'lang':
      return `lang:${n.code}`;
    case 'sample':
      return `sample:${n.percent}`;
    case 'embedding_threshold':
      return `embedding_threshold:${num(n.value)}`;
  }
}

/** Pre-order walk over every node. */
export function walk(n: Node, visit: (node: Node, parent: Node | null) => void, parent: Node | null = null): void {
  visit(n, parent);
  if (n.kind === 'and' || n.kind === 'or') for (const c of n.children) walk(c, visit, n);
  else if (n.kind === 'not') walk(n.child, visit, n);
}
