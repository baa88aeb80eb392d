/**
 * Parser: tokens → AST. Grammar (AND binds tighter than OR):
 *   query   := or EOF
 *   or      := and ('OR' and)*
 *   and     := unary+
 *   unary   := '-' '(' or ')' | term | '(' or ')'
 * Syntax errors abort with one message; value errors (unknown operator, bad value, bare `AND`) are collected
 * and parsing goes on, so several can be reported together like X does.
 */
import type {
  CountField, HasValue, IsValue, Node, OperatorNode, UserRef,
} from './ast.js';
import { QuerySyntaxError, msg } from './errors.js';
import { lex, type TermBody, type Token } from './lexer.js';
import { isEmojiWord } from './tokens.js';

/** Alias → canonical operator name (FACTS §5.2). */
export const OPERATOR_ALIASES: Readonly<Record<string, string>> = {
  retweets_of_user: 'retweets_of',
  in_reply_to_status_id: 'in_reply_to_tweet_id',
  retweets_of_status_id: 'retweets_of_tweet_id',
  quotes_of_status_id: 'quotes_of_tweet_id',
  geo_bounding_box: 'bounding_box',
  user_bio: 'bio',
  user_bio_location: 'bio_location',
  within_url_title: 'url_title',
  within_url_description: 'url_description',
  statuses_count: 'tweets_count',
  friends_count: 'following_count',
  user_in_lists_count: 'listed_count',
};

export const HAS_ALIASES: Readonly<Record<string, HasValue>> = { media_link: 'media', videos: 'video_link' };

/** Every canonical operator name the language knows (availability per product is `products.ts`). */
export const OPERATORS: readonly string[] = [
  'from', 'to', 'retweets_of', 'from_affiliate_of', 'to_affiliate_of',
  'conversation_id', 'list', 'in_reply_to_tweet_id', 'retweets_of_tweet_id', 'quotes_of_tweet_id',
  'url', 'entity', 'place', 'bio', 'bio_name', 'bio_location', 'url_title', 'url_description', 'url_contains', 'source', 'embedding',
  'context', 'place_country', 'point_radius', 'bounding_box',
  'followers_count', 'tweets_count', 'following_count', 'listed_count',
  'min_followers', 'min_likes', 'min_replies', 'min_reposts',
  'is', 'has', 'lang', 'sample', 'embedding_threshold',
];
const KNOWN = new Set(OPERATORS);

const IS_VALUES = new Set<IsValue>(['retweet', 'reply', 'quote', 'verified', 'nullcast']);
const HAS_VALUES = new Set<HasValue>(['hashtags', 'cashtags', 'links', 'mentions', 'media', 'images', 'video_link', 'geo']);

/**
 * `lang:` codes: FACTS §5.2 current list + the older list, plus `und` (X's label for unclassifiable posts) and
 * `zh` (what X puts in `lang` for Chinese posts). Matching is case-insensitive; the canonical spelling is kept.
 */
export const LANG_CODES: readonly string[] = [
  'am', 'ar', 'hy', 'eu', 'bn', 'bg', 'ca', 'hr', 'cs', 'da', 'nl', 'en', 'et', 'fi', 'fr', 'ka', 'de', 'el', 'gu', 'iw',
  'hi', 'hu', 'in', 'it', 'ja', 'kn', 'ko', 'lv', 'lt', 'ml', 'mr', 'no', 'fa', 'pl', 'pt', 'ro', 'ru', 'sr', 'zh-CN',
  'sk', 'sl', 'es', 'sv', 'ta', 'te', 'th', 'zh-TW', 'tr', 'uk', 'ur', 'vi',
  'bo', 'bs', 'ckb', 'cy', 'dv', 'hi-Latn', 'ht', 'is', 'km', 'lo', 'my', 'ne', 'or', 'pa', 'ps', 'sd', 'si', 'tl', 'ug',
  'und', 'zh',
];
const LANG_BY_LOWER = new Map(LANG_CODES.map((c) => [c.toLowerCase(), c]));

export const MAX_PROXIMITY = 6;
/** 25 miles in km (point_radius radius and bounding_box sides must be strictly below). */
export const GEO_LIMIT_MI = 25;
const KM_PER_MI = 1.609344;
export const EARTH_RADIUS_MI = 3958.7613;

/** Great-circle distance in miles. */
export function haversineMi(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  // Squares as products, operation for operation as the SQL executor computes them (search/sql.ts).
  const a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * (Math.sin(dLon / 2) * Math.sin(dLon / 2));
  return 2 * EARTH_RADIUS_MI * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface ParseOutput {
  ast: Node | null;
  /** collected (non-syntax) errors, in source order */
  errors: string[];
}

const NUM = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const ID = /^\d{1,19}$/;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

/** Parses `src`; throws `QuerySyntaxError` on syntax errors. */
export function parse(src: string): ParseOutput {
  const toks = lex(src);
  const errors: string[] = [];
  let k = 0;
  const peek = (): Token => toks[k]!;
  const tokText = (t: Token): string =>
    t.t === 'eof' ? '<EOF>' : t.t === 'rparen' ? ')' : t.t === 'lparen' ? '(' : t.t === 'or' ? 'OR' : t.t === 'and' ? 'AND' : '-';

  function parseOr(): Node {
    const first = parseAnd();
    const children: Node[] = [first];
    while (peek().t === 'or') {
      k++;
      const next = parseAnd();
      if (next.kind === 'or') children.push(...next.children);
      else children.push(next);
    }
    if (children.length === 1) return first;
    const flat: Node[] = [];
    for (const c of children) if (c.kind === 'or') flat.push(...c.children); else flat.push(c);
    return { kind: 'or', children: flat, pos: first.pos };
  }

  function parseAnd(): Node {
    const children: Node[] = [];
    for (;;) {
      const t = peek();
      if (t.t === 'and') {
        errors.push(msg.ambiguousAnd(t.pos));
        k++;
        children.push({ kind: 'keyword', value: 'AND', pos: t.pos });
        continue;
      }
      if (t.t !== 'term' && t.t !== 'lparen' && t.t !== 'neg') break;
      const u = parseUnary();
      if (u.kind === 'and') children.push(...u.children);
      else children.push(u);
    }
    if (children.length === 0) {
      const t = peek();
      throw new QuerySyntaxError(msg.noViableInput(tokText(t), t.pos));
    }
    if (children.length === 1) return children[0]!;
    return { kind: 'and', children, pos: children[0]!.pos };
  }

  function parseGroup(): Node {
    k++; // '('
    const inner = parseOr();
    const t = peek();
    if (t.t !== 'rparen') {
      if (t.t === 'eof') throw new QuerySyntaxError(msg.missingCloseParen(t.pos));
      throw new QuerySyntaxError(msg.noViableInput(tokText(t), t.pos));
    }
    k++;
    return inner;
  }

  function parseUnary(): Node {
    const t = peek();
    if (t.t === 'neg') {
      k++;
      const g = parseGroup();
      return { kind: 'not', child: g, pos: t.pos };
    }
    if (t.t === 'lparen') return parseGroup();
    if (t.t !== 'term') throw new QuerySyntaxError(msg.noViableInput(tokText(t), t.pos));
    k++;
    const leaf = term(t.body, t.bodyPos);
    return t.neg ? { kind: 'not', child: leaf, pos: t.pos } : leaf;
  }

  function term(body: TermBody, pos: number): Node {
    if (body.k === 'phrase') {
      let proximity: number | null = null;
      if (body.proximity !== null) {
        proximity = Number(body.proximity);
        if (proximity < 1 || proximity > MAX_PROXIMITY) {
          errors.push(msg.outOfRange('~', body.proximity, `1 to ${MAX_PROXIMITY}`, body.proximityPos));
        }
      }
      return { kind: 'phrase', value: body.text, proximity, pos };
    }
    if (body.k === 'op') return operator(body, pos);
    const w = body.text;
    const c0 = w[0]!;
    if ((c0 === '#' || c0 === '@') && w.length > 1) {
      const rest = w.slice(1);
      const re = c0 === '#' ? /[\p{L}\p{M}\p{N}_]/u : /[A-Za-z0-9_]/;
      const chars = [...rest];
      const bad = chars.findIndex((ch) => !re.test(ch));
      if (bad >= 0) {
        const off = chars.slice(0, bad).join('').length;
        throw new QuerySyntaxError(msg.noViableChar(chars[bad]!, pos + 1 + off));
      }
      if (c0 === '#') return { kind: 'hashtag', tag: rest.normalize('NFC').toLowerCase(), pos };
      if (rest.length > 15) errors.push(msg.invalidValue('@', rest, pos));
      return { kind: 'mention', username: rest.toLowerCase(), pos };
    }
    if (c0 === '$' && /^\$[A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?$/.test(w)) {
      return { kind: 'cashtag', symbol: w.slice(1).toLowerCase(), pos };
    }
    if (isEmojiWord(w)) return { kind: 'emoji', value: w, pos };
    return { kind: 'keyword', value: w, pos };
  }

  function operator(body: Extract<TermBody, { k: 'op' }>, pos: number): Node {
    const typed = body.name;
    const lower = typed.toLowerCase();
    const name = OPERATOR_ALIASES[lower] ?? lower;
    // Unknown operator: reported, parsing goes on with a placeholder keyword (never executed).
    const placeholder: Node = { kind: 'keyword', value: `${typed}:${body.value}`, pos };
    if (!KNOWN.has(name)) {
      errors.push(msg.invalidOperator(typed));
      return placeholder;
    }
    const label = `${lower}:`;
    const v = body.value;
    if (v === '' && !body.quoted) {
      errors.push(msg.emptyValue(label, pos));
      return placeholder;
    }
    const bad = (): Node => { errors.push(msg.invalidValue(label, v, pos)); return placeholder; };
    const range = (r: string): Node => { errors.push(msg.outOfRange(label, v, r, pos)); return placeholder; };
    const node = (n: OperatorNode): Node => n;

    switch (name) {
      case 'from': case 'to': case 'retweets_of': case 'from_affiliate_of': case 'to_affiliate_of': {
        let user: UserRef;
        if (ID.test(v)) user = { type: 'id', id: v.replace(/^0+(?=\d)/, '') };
        else if (USERNAME.test(v)) user = { type: 'username', username: v.toLowerCase() };
        else return bad();
        return node({ kind: name, user, pos });
      }
      case 'conversation_id': case 'list': case 'in_reply_to_tweet_id': case 'retweets_of_tweet_id': case 'quotes_of_tweet_id':
        if (!ID.test(v)) return bad();
        return node({ kind: name, id: v.replace(/^0+(?=\d)/, ''), pos });
      case 'url': case 'entity': case 'place': case 'bio': case 'bio_name': case 'bio_location':
      case 'url_title': case 'url_description': case 'url_contains': case 'source': case 'embedding':
        if (v.trim() === '') { errors.push(msg.emptyValue(label, pos)); return placeholder; }
        return node({ kind: name, value: v, quoted: body.quoted, pos });
      case 'context': {
        const m = /^(\d{1,19})\.(\d{1,19}|\*)$/.exec(v);
        if (!m) return bad();
        return node({ kind: 'context', domain: m[1]!, entity: m[2]!, pos });
      }
      case 'place_country':
        if (!/^[A-Za-z]{2}$/.test(v)) return bad();
        return node({ kind: 'place_country', code: v.toUpperCase(), pos });
      case 'point_radius': {
        if (!body.bracketed) return bad();
        const parts = v.trim().split(/\s+/);
        const rm = parts.length === 3 ? /^(\d+(?:\.\d*)?|\.\d+)(km|mi)$/i.exec(parts[2]!) : null;
        if (!rm || !NUM.test(parts[0]!) || !NUM.test(parts[1]!)) return bad();
        const lon = Number(parts[0]);
        const lat = Number(parts[1]);
        const radius = Number(rm[1]);
        const unit = rm[2]!.toLowerCase() as 'km' | 'mi';
        if (lon < -180 || lon > 180) return range('longitude -180 to 180');
        if (lat < -90 || lat > 90) return range('latitude -90 to 90');
        const radiusKm = unit === 'km' ? radius : radius * KM_PER_MI;
        if (!(radius > 0) || radiusKm >= GEO_LIMIT_MI * KM_PER_MI) return range('radius > 0 and < 25 mi');
        return node({ kind: 'point_radius', lon, lat, radius, unit, radiusKm, pos });
      }
      case 'bounding_box': {
        if (!body.bracketed) return bad();
        const parts = v.trim().split(/\s+/);
        if (parts.length !== 4 || !parts.every((p) => NUM.test(p))) return bad();
        const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
        if ([west, east].some((x) => x < -180 || x > 180)) return range('longitude -180 to 180');
        if ([south, north].some((x) => x < -90 || x > 90)) return range('latitude -90 to 90');
        if (!(west < east) || !(south < north)) return bad();
        const equatorward = Math.abs(south) < Math.abs(north) ? south : north;
        const widest = south <= 0 && north >= 0 ? 0 : equatorward;
        const width = haversineMi(west, widest, east, widest);
        const height = haversineMi(west, south, west, north);
        if (width >= GEO_LIMIT_MI || height >= GEO_LIMIT_MI) return range('each side < 25 mi');
        return node({ kind: 'bounding_box', west, south, east, north, pos });
      }
      case 'followers_count': case 'tweets_count': case 'following_count': case 'listed_count': {
        const m = /^(\d{1,15})(?:\.\.(\d{1,15}))?$/.exec(v);
        if (!m) return bad();
        const min = Number(m[1]);
        const max = m[2] === undefined ? null : Number(m[2]);
        if (max !== null && max < min) return bad();
        return node({ kind: 'count_range', field: name as CountField, min, max, pos });
      }
      case 'min_followers': case 'min_likes': case 'min_replies': case 'min_reposts':
        if (!/^\d{1,15}$/.test(v)) return bad();
        return node({ kind: name, n: Number(v), pos });
      case 'is': {
        const val = v.toLowerCase() as IsValue;
        if (!IS_VALUES.has(val)) return bad();
        return node({ kind: 'is', value: val, pos });
      }
      case 'has': {
        const lv = v.toLowerCase();
        const val = (HAS_ALIASES[lv] ?? lv) as HasValue;
        if (!HAS_VALUES.has(val)) return bad();
        return node({ kind: 'has', value: val, pos });
      }
      case 'lang': {
        const code = LANG_BY_LOWER.get(v.toLowerCase());
        if (!code) return bad();
        return node({ kind: 'lang', code, pos });
      }
      case 'sample': {
        if (!/^\d{1,3}$/.test(v)) return bad();
        const p = Number(v);
        if (p < 1 || p > 100) return range('1 to 100');
        return node({ kind: 'sample', percent: p, pos });
      }
      case 'embedding_threshold': {
        if (!NUM.test(v)) return bad();
        const x = Number(v);
        if (x < 0.3 || x > 1) return range('0.3 to 1.0');
        return node({ kind: 'embedding_threshold', value: x, pos });
      }
      default:
        return bad();
    }
  }

  const first = peek();
  if (first.t === 'eof') throw new QuerySyntaxError(msg.noViableInput('<EOF>', first.pos));
  const ast = parseOr();
  const end = peek();
  if (end.t !== 'eof') {
    if (end.t === 'rparen') throw new QuerySyntaxError(msg.extraneousInput(')', end.pos));
    throw new QuerySyntaxError(msg.noViableInput(tokText(end), end.pos));
  }
  return { ast, errors };
}
