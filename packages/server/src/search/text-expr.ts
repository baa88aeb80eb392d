/**
 * A boolean expression over search-document tokens (search/doc.ts): what the full-text index answers. Each
 * dialect renders it to its own syntax (db/dialect.ts: FTS5 MATCH strings, PostgreSQL tsquery).
 */
export type TextExpr =
  /** These tokens, consecutively (one token: that token). */
  | { k: 'seq'; toks: string[] }
  | { k: 'and'; c: TextExpr[] }
  | { k: 'or'; c: TextExpr[] }
  | { k: 'not'; c: TextExpr };

/**
 * Renders `t` when a full-text engine can answer it on its own: a `not` must sit in an `and` beside at least one
 * positive part (FTS5 has only binary NOT; both dialects use the same rule so they decompose the same way).
 */
export function renderText(t: TextExpr, r: TextRenderer): string | null {
  switch (t.k) {
    case 'seq':
      return r.seq(t.toks);
    case 'not':
      return null;
    case 'or': {
      const parts: string[] = [];
      for (const c of t.c) {
        const s = renderText(c, r);
        if (s === null) return null;
        parts.push(s);
      }
      return r.or(parts);
    }
    case 'and': {
      const pos: string[] = [];
      const neg: string[] = [];
      for (const c of t.c) {
        const s = c.k === 'not' ? renderText(c.c, r) : renderText(c, r);
        if (s === null) return null;
        (c.k === 'not' ? neg : pos).push(s);
      }
      if (pos.length === 0) return null;
      return r.and(pos, neg);
    }
  }
}

export interface TextRenderer {
  seq(toks: readonly string[]): string;
  and(pos: readonly string[], neg: readonly string[]): string;
  or(parts: readonly string[]): string;
}

/** SQLite FTS5 query syntax. Tokens are `[a-z0-9_]+`, so quoting needs no escapes. */
export const fts5Renderer: TextRenderer = {
  seq: (toks) => `"${toks.join(' ')}"`,
  and: (pos, neg) => {
    const s = pos.length === 1 ? pos[0]! : `(${pos.join(' AND ')})`;
    if (neg.length === 0) return s;
    // a AND NOT b AND NOT c is a NOT (b OR c): one flat list, where a chain of nested NOTs overflows FTS5's
    // parser stack at about 95 negations.
    return `(${s} NOT ${neg.length === 1 ? neg[0]! : `(${neg.join(' OR ')})`})`;
  },
  or: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`),
};

/** PostgreSQL tsquery syntax (`<->` for adjacency). */
export const tsqueryRenderer: TextRenderer = {
  seq: (toks) => (toks.length === 1 ? `'${toks[0]}'` : `(${toks.map((t) => `'${t}'`).join(' <-> ')})`),
  and: (pos, neg) => `(${[...pos, ...neg.map((n) => `!${n}`)].join(' & ')})`,
  or: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`),
};
