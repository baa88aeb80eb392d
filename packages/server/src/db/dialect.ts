/**
 * Every difference between SQLite and PostgreSQL lives here. Migrations, data modules and the query compiler ask
 * this object instead of testing the dialect name themselves.
 */
import { sql, type RawBuilder } from 'kysely';
import { fts5Renderer, tsqueryRenderer, type TextRenderer } from '../search/text-expr.js';

export type DialectName = 'sqlite' | 'postgres';

/** Full-text search over `post_search` (one document per post, see search/doc.ts). */
export interface SearchDialect {
  /** Renders a token expression as this engine's query text. */
  readonly renderer: TextRenderer;
  /** Subquery: ids of posts whose document matches the bound (`?`) query text. */
  readonly matchingIds: string;
  /** Tables of a query driven by the index, newest first; `s` is the index, `p` the posts. */
  readonly driverFrom: string;
  /** Condition binding the query text (`?`) in a driven query. */
  readonly driverMatch: string;
  /** Condition: post `p` matches the bound (`?`) query text (checked row by row). */
  readonly rowMatch: string;
  /** The id column of the driven query (window bounds and order go on it so the index streams in order). */
  readonly driverId: string;
  /** Tables of a query that scans posts newest first (`p`) with their authors (`a`). */
  readonly scanFrom: string;
  /** Select-list item giving `p.id` as decimal text, named `id`. */
  readonly selectId: string;
  /** A bound real (PostgreSQL cannot infer `2 * $1` as a double). */
  readonly real: string;
  /** Two-argument minimum of reals. */
  readonly least: 'min' | 'least';
  /**
   * DDL creating `post_search` (migration 008). Schema history: what a migration created must never change, so a
   * different layout needs a new migration, not an edit here.
   */
  readonly createDocTable: readonly string[];
  /**
   * Inserts one document per post (`tokens`: index tokens, in order). Migration 008 writes through it too, so the
   * stored form is schema: changing it takes a migration that rewrites `post_search`.
   */
  insertDocs(docs: readonly { id: string; tokens: readonly string[] }[]): RawBuilder<unknown>;
  /** The same insert hand-written for the write path: its head, one `values` row (`?` placeholders), parameters. */
  readonly docInsert: string;
  readonly docRow: string;
  /** Documents per insert statement. */
  readonly docsPerStatement: number;
  docParams(id: string, tokens: readonly string[]): unknown[];
  /** Deletes the documents of these posts. */
  deleteDocs(ids: readonly string[]): RawBuilder<unknown>;
  /** Deletes documents whose post is gone. */
  readonly deleteOrphans: RawBuilder<unknown>;
}

export interface Dialect {
  readonly name: DialectName;
  /** Column type for 64-bit ids. In SQLite `integer` makes the primary key the rowid (fastest lookups). */
  readonly idType: 'integer' | 'bigint';
  /** Column type for counters and epoch-millisecond timestamps. */
  readonly bigIntType: 'integer' | 'bigint';
  /** Bind value for an id (strings on the wire); both engines compare it numerically against integer columns. */
  idParam(id: string): string | bigint;
  /** The same for an id held as a bigint (bulk loads keep millions of ids in a BigInt64Array). */
  idParamOf(id: bigint): string | bigint;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParams: number;
  /** `n` bind placeholders for hand-compiled hot queries (`?` in SQLite, `$1…` in PostgreSQL). */
  placeholders(n: number): string;
  /**
   * Select-list item reading a 64-bit id column as a decimal string. Direct reads (Store.read) take numbers as
   * plain JS numbers, so every id column they select must go through this.
   */
  textId(column: string): string;
  /** Name of the two-argument maximum function (`max` in SQLite, `greatest` in PostgreSQL). */
  readonly greatest: 'max' | 'greatest';
  /** Column type for floating-point numbers (coordinates). */
  readonly realType: 'real' | 'double precision';
  /** Hand-written SQL with `?` placeholders in this engine's numbering (`$1…` in PostgreSQL). */
  numbered(text: string): string;
  /**
   * Ends the subquery of a queue claim (`… where id in (select … limit ?<skipLocked>)`): PostgreSQL passes over rows
   * another transaction is claiming instead of waiting for them (nodes claim disjoint batches); SQLite has one writer.
   */
  readonly skipLocked: string;
  /**
   * Whether transactions run one at a time (SQLite: the server's single connection, and a file lock against any
   * other process), so a transaction needs no row locks to serialise the writes of one user.
   */
  readonly serialTransactions: boolean;
  readonly search: SearchDialect;
}

/** tsvector input text: each token once with all its 1-based positions (tokens are `[a-z0-9_]+`: no quoting issues). */
export function tsvectorLiteral(tokens: readonly string[]): string {
  const positions = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const list = positions.get(t);
    const pos = Math.min(i + 1, 16383);
    if (list) {
      if (list[list.length - 1] !== pos) list.push(pos);
    } else positions.set(t, [pos]);
  });
  return [...positions].map(([t, ps]) => `'${t}':${ps.join(',')}`).join(' ');
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  idType: 'integer',
  bigIntType: 'integer',
  idParam: (id) => BigInt(id),
  idParamOf: (id) => id,
  maxParams: 32_000,
  placeholders: (n) => Array.from({ length: n }, () => '?').join(','),
  textId: (c) => `cast(${c} as text) as ${c}`,
  greatest: 'max',
  realType: 'real',
  numbered: (text) => text,
  skipLocked: '',
  serialTransactions: true,
  search: {
    renderer: fts5Renderer,
    matchingIds: 'select rowid from post_search where post_search match ?',
    // CROSS JOIN keeps the FTS5 table outermost, so it yields rowids in descending order without a sort.
    driverFrom: 'post_search s cross join posts p on p.id = s.rowid cross join users a on a.id = p.author_id',
    driverMatch: 'post_search match ?',
    rowMatch: 'exists (select 1 from post_search x where x.rowid = p.id and x.post_search match ?)',
    driverId: 's.rowid',
    scanFrom: 'posts p cross join users a on a.id = p.author_id',
    selectId: 'cast(p.id as text) as id',
    real: '?',
    least: 'min',
    createDocTable: [`create virtual table post_search using fts5(doc, tokenize = "ascii tokenchars '_'", columnsize = 0)`],
    insertDocs: (docs) => sql`insert into post_search (rowid, doc) values ${sql.join(docs.map((x) => sql`(${BigInt(x.id)}, ${x.tokens.join(' ')})`))}`,
    docInsert: 'insert into post_search (rowid, doc)',
    docRow: '(?, ?)',
    // One: FTS5 writes its pending terms out as a new index segment whenever a statement opens a statement journal
    // in a transaction, which every multi-row insert does; single-row inserts let the terms of many documents make
    // one segment (about a third less work for the index, and less merging as it grows).
    docsPerStatement: 1,
    docParams: (id, tokens) => [BigInt(id), tokens.join(' ')],
    deleteDocs: (ids) => sql`delete from post_search where rowid in (${sql.join(ids.map((i) => BigInt(i)))})`,
    deleteOrphans: sql`delete from post_search where rowid not in (select id from posts)`,
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  idType: 'bigint',
  bigIntType: 'bigint',
  idParam: (id) => id,
  idParamOf: (id) => id.toString(),
  maxParams: 60_000,
  placeholders: (n) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(','),
  // pg already returns int8 as a string.
  textId: (c) => c,
  greatest: 'greatest',
  realType: 'double precision',
  numbered: (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  skipLocked: ' for update skip locked',
  serialTransactions: false,
  search: {
    renderer: tsqueryRenderer,
    matchingIds: 'select post_id from post_search where doc @@ ?::tsquery',
    driverFrom: 'post_search s join posts p on p.id = s.post_id join users a on a.id = p.author_id',
    driverMatch: 's.doc @@ ?::tsquery',
    rowMatch: 'exists (select 1 from post_search x where x.post_id = p.id and x.doc @@ ?::tsquery)',
    driverId: 'p.id',
    scanFrom: 'posts p join users a on a.id = p.author_id',
    selectId: 'p.id as id',
    real: 'cast(? as double precision)',
    least: 'least',
    createDocTable: ['create table post_search (post_id bigint primary key, doc tsvector not null)', 'create index post_search_doc on post_search using gin (doc)'],
    insertDocs: (docs) => sql`insert into post_search (post_id, doc) values ${sql.join(docs.map((x) => sql`(${x.id}, ${tsvectorLiteral(x.tokens)}::tsvector)`))}`,
    docInsert: 'insert into post_search (post_id, doc)',
    docRow: '(?, ?::tsvector)',
    docsPerStatement: 500,
    docParams: (id, tokens) => [id, tsvectorLiteral(tokens)],
    deleteDocs: (ids) => sql`delete from post_search where post_id in (${sql.join(ids)})`,
    deleteOrphans: sql`delete from post_search where post_id not in (select id from posts)`,
  },
};
