/**
 * Every difference between SQLite and PostgreSQL lives here. Migrations, data modules and the query compiler ask
 * this object instead of testing the dialect name themselves.
 */
export type DialectName = 'sqlite' | 'postgres';

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
};
