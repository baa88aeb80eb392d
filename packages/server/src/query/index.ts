/**
 * X query language front end: `parseQuery(text, { product, tier })`.
 */
import type { Node } from './ast.js';
import { QuerySyntaxError, msg } from './errors.js';
import { parse } from './parser.js';
import { lengthLimit, validateForProduct, type Product, type Tier } from './products.js';

export type ParseResult = { ok: true; ast: Node } | { ok: false; messages: string[] };

export interface ParseOptions {
  product: Product;
  /** default `self_serve` */
  tier?: Tier;
}

/**
 * Parses and validates a query (search) or rule (stream). On failure `messages` are X's texts; the endpoint's
 * message is `queryErrorMessage(messages)`. Order: length (alone) → syntax (one, alone) → value errors →
 * product errors → the positive-clause check (only when nothing else failed).
 */
export function parseQuery(text: string, opts: ParseOptions): ParseResult {
  const tier = opts.tier ?? 'self_serve';
  const limit = lengthLimit(opts.product, tier);
  const length = [...text].length;
  if (length > limit) return { ok: false, messages: [msg.tooLong(opts.product === 'stream' ? 'Rule' : 'Query', length, limit)] };
  let out;
  try {
    out = parse(text);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, messages: [e.message] };
    throw e;
  }
  const ast = out.ast!;
  const messages = [...out.errors, ...validateForProduct(ast, opts.product, tier, out.errors.length === 0)];
  if (messages.length > 0) return { ok: false, messages };
  return { ok: true, ast };
}

export * from './ast.js';
export { queryErrorMessage, QUERY_ERROR_PREFIX, msg as queryMessages } from './errors.js';
export { OPERATOR_ALIASES, HAS_ALIASES, OPERATORS, LANG_CODES, MAX_PROXIMITY, haversineMi } from './parser.js';
export * from './products.js';
export * from './tokens.js';
