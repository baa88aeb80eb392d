/**
 * Text normalization shared by the SQL compiler and the in-memory matcher, so both executors give a keyword one
 * meaning (FACTS §5.1): post text is split on punctuation, symbols and separators, case-folded, and — for search
 * only — accent-folded. Emoji are kept as tokens of their own (variation selectors dropped) so emoji keywords
 * match. `_` is punctuation (Unicode Pc) and splits too.
 */

/**
 * Stopwords: a keyword clause whose only token is one of these is not a "positive, non-stopword clause"
 * (X rejects `a` alone). Quoted phrases are never stopwords — quoting is how to search for them.
 * The list is Lucene's classic English stop set, which X's (Lucene-based) search inherited.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

const TOKEN_RE =
  /(?:\p{Regional_Indicator}{2})|(?:\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|\u200D\p{Extended_Pictographic}\uFE0F?)*)|[\p{L}\p{M}\p{N}]+/gu;

function split(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) out.push(m[0].includes('\uFE0F') ? m[0].replace(/\uFE0F/g, '') : m[0]);
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TOKEN = /[a-z0-9]+/g;

/**
 * The tokens of ASCII text, either mode: NFC, NFD and mark removal leave ASCII alone, and its letters and digits are
 * the only ASCII characters TOKEN_RE takes (no ASCII character is an emoji or a regional indicator). The same
 * tokens as the general path (tokens.test.ts compares them), several times faster; most post text and every URL
 * is ASCII.
 */
function asciiTokens(text: string): string[] {
  return text.toLowerCase().match(ASCII_TOKEN) ?? [];
}

/** Case folding used by both modes (NFC, lower-case; `ß` stays — toLowerCase is the shared definition). */
export function caseFold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

/** Accent folding for search: decompose, drop combining marks, recompose. */
export function accentFold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Tokens of a text for search (accent-insensitive). */
export function searchTokens(text: string): string[] {
  return ASCII.test(text) ? asciiTokens(text) : split(accentFold(caseFold(text)));
}

/** Tokens of a text for filtered streams (accent-sensitive). */
export function streamTokens(text: string): string[] {
  return ASCII.test(text) ? asciiTokens(text) : split(caseFold(text));
}

/** The general path of `searchTokens` / `streamTokens`, for any text (tokens.test.ts checks the ASCII path against it). */
export function unicodeTokens(text: string, mode: MatchMode): string[] {
  return mode === 'search' ? split(accentFold(caseFold(text))) : split(caseFold(text));
}

export type MatchMode = 'search' | 'stream';

export function tokensFor(text: string, mode: MatchMode): string[] {
  return mode === 'search' ? searchTokens(text) : streamTokens(text);
}

/** True when a keyword is only stopwords or has no tokens at all (e.g. `!!!`). */
export function isStopKeyword(word: string): boolean {
  const toks = streamTokens(word);
  return toks.every((t) => STOPWORDS.has(t));
}

/** Emoji-only word (one or more emoji sequences, nothing else). */
export function isEmojiWord(word: string): boolean {
  return /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200D|\uFE0F|\u20E3)+$/u.test(word) &&
    /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(word);
}
