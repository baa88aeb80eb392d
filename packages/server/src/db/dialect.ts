/**
 * Every difference between SQLite and PostgreSQL lives here. Migrations, data modules and the query compiler ask
 * this object instead of testing the dialect name themselves.
 */
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
}

export interface Dialect {
  readonly name: DialectName;
  /** Column type for 64-bit ids. In SQLite `integer` makes the primary key the rowid (fastest lookups). */
  readonly idType: 'integer' | 'bigint';
  /** Column type for counters and epoch-millisecond timestamps. */
  readonly bigIntType: 'integer' | 'bigint';
  /** Bind value for an id (strings on the wire); both engines compare it numerically against integer columns. */
  idParam(id: string): string | bigint;
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
  readonly search: SearchDialect;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  idType: 'integer',
  bigIntType: 'integer',
  idParam: (id) => BigInt(id),
  maxParams: 32_000,
  placeholders: (n) => Array.from({ length: n }, () => '?').join(','),
  textId: (c) => `cast(${c} as text) as ${c}`,
  greatest: 'max',
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
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  idType: 'bigint',
  bigIntType: 'bigint',
  idParam: (id) => id,
  maxParams: 60_000,
  placeholders: (n) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(','),
  // pg already returns int8 as a string.
  textId: (c) => c,
  greatest: 'greatest',
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
  },
};
