/**
 * Lexer for X's query language. Produces clause-level tokens: parentheses, bare `OR` / `AND` words, a negation
 * marker before a group, and terms (words, quoted phrases with optional `~N`, `name:value` operators whose
 * value may be quoted or — for the geo operators — bracketed). Whitespace separates tokens (= AND).
 * Positions are 1-based UTF-16 offsets, as X reports them.
 */
import { QuerySyntaxError, msg } from './errors.js';

export type TermBody =
  | { k: 'word'; text: string }
  | { k: 'phrase'; text: string; proximity: string | null; proximityPos: number }
  | { k: 'op'; name: string; value: string; quoted: boolean; bracketed: boolean; valuePos: number };

export type Token =
  | { t: 'lparen'; pos: number }
  | { t: 'rparen'; pos: number }
  | { t: 'or'; pos: number }
  | { t: 'and'; pos: number }
  /** `-` directly before `(` */
  | { t: 'neg'; pos: number }
  /** `pos` is the clause start (the `-` when negated); `bodyPos` the first character after it. */
  | { t: 'term'; neg: boolean; pos: number; bodyPos: number; body: TermBody }
  | { t: 'eof'; pos: number };

/** Characters that cannot appear outside quotes (and brackets of the geo operators). */
const INVALID = new Set(['<', '>', '[', ']', '{', '}', '=', '\\', '|', '^', '`']);
const BRACKET_OPS = new Set(['point_radius', 'bounding_box', 'geo_bounding_box']);

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

function isWordChar(ch: string): boolean {
  return !isSpace(ch) && ch !== '(' && ch !== ')' && ch !== '"' && !INVALID.has(ch);
}

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  const charAt = (j: number): string | null => (j < n ? src[j]! : null);

  /** Reads a quoted string starting at the opening quote; returns [value, index after closing quote]. */
  const readQuoted = (start: number): [string, number] => {
    let j = start + 1;
    let value = '';
    while (j < n) {
      const ch = src[j]!;
      if (ch === '\\') {
        if (j + 1 >= n) throw new QuerySyntaxError(msg.mismatchedChar(null, '"', n + 1));
        value += src[j + 1]!;
        j += 2;
        continue;
      }
      if (ch === '"') return [value, j + 1];
      value += ch;
      j++;
    }
    throw new QuerySyntaxError(msg.mismatchedChar(null, '"', n + 1));
  };

  while (i < n) {
    const ch = src[i]!;
    if (isSpace(ch)) { i++; continue; }
    if (ch === '(') { out.push({ t: 'lparen', pos: i + 1 }); i++; continue; }
    if (ch === ')') { out.push({ t: 'rparen', pos: i + 1 }); i++; continue; }
    if (INVALID.has(ch)) throw new QuerySyntaxError(msg.noViableChar(ch, i + 1));

    const clauseStart = i;
    let neg = false;
    if (ch === '-') {
      const next = charAt(i + 1);
      if (next === '(') { out.push({ t: 'neg', pos: i + 1 }); i++; continue; }
      if (next === null || isSpace(next) || next === ')' || next === '-' || INVALID.has(next)) {
        throw new QuerySyntaxError(msg.noViableChar(next, i + 2));
      }
      neg = true;
      i++;
    }
    const bodyStart = i;

    if (src[i] === '"') {
      const [value, after] = readQuoted(i);
      i = after;
      let proximity: string | null = null;
      let proximityPos = 0;
      if (charAt(i) === '~') {
        proximityPos = i + 1;
        let j = i + 1;
        while (j < n && /[0-9]/.test(src[j]!)) j++;
        if (j === i + 1) throw new QuerySyntaxError(msg.noViableChar(charAt(j), j + 1));
        proximity = src.slice(i + 1, j);
        i = j;
      }
      out.push({ t: 'term', neg, pos: clauseStart + 1, bodyPos: bodyStart + 1, body: { k: 'phrase', text: value, proximity, proximityPos } });
      continue;
    }

    let j = i;
    while (j < n && isWordChar(src[j]!)) j++;
    const word = src.slice(i, j);
    const opMatch = /^([A-Za-z_]+):([\s\S]*)$/.exec(word);
    if (opMatch) {
      const name = opMatch[1]!;
      let value = opMatch[2]!;
      let quoted = false;
      let bracketed = false;
      let valuePos = i + name.length + 2;
      if (value === '' && charAt(j) === '"') {
        const [v, after] = readQuoted(j);
        value = v;
        quoted = true;
        j = after;
      } else if (value === '' && charAt(j) === '[' && BRACKET_OPS.has(name.toLowerCase())) {
        const close = src.indexOf(']', j);
        if (close < 0) throw new QuerySyntaxError(msg.mismatchedChar(null, ']', n + 1));
        value = src.slice(j + 1, close);
        bracketed = true;
        valuePos = j + 2;
        j = close + 1;
      }
      out.push({ t: 'term', neg, pos: clauseStart + 1, bodyPos: bodyStart + 1, body: { k: 'op', name, value, quoted, bracketed, valuePos } });
      i = j;
      continue;
    }
    if (!neg && word === 'OR') out.push({ t: 'or', pos: i + 1 });
    else if (!neg && word === 'AND') out.push({ t: 'and', pos: i + 1 });
    else out.push({ t: 'term', neg, pos: clauseStart + 1, bodyPos: bodyStart + 1, body: { k: 'word', text: word } });
    i = j;
  }
  out.push({ t: 'eof', pos: n + 1 });
  return out;
}
