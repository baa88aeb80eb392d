/**
 * Error messages for bad queries and rules, in X's wording (FACTS §5.3). Messages X has been observed to send
 * are reproduced exactly; the others follow the same style (ANTLR-like syntax messages, `(at position N)` with
 * 1-based UTF-16 positions). The endpoint sends `There were errors processing your request: ` + messages
 * joined by `, ` (see `queryErrorMessage`).
 */

export const QUERY_ERROR_PREFIX = 'There were errors processing your request: ';

/** The full `message` an endpoint sends for a rejected query. */
export function queryErrorMessage(messages: readonly string[]): string {
  return QUERY_ERROR_PREFIX + messages.join(', ');
}

/** Thrown inside the lexer/parser for syntax errors (stops parsing). */
export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

const at = (pos: number): string => `(at position ${pos})`;

/** Printable form of a character in ANTLR messages. */
function showChar(ch: string | null): string {
  if (ch === null) return '<EOF>';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return ch;
}

export const msg = {
  // ---- observed (FACTS §5.3) ----
  /** A character no token can start with, e.g. `<`. */
  noViableChar: (ch: string | null, pos: number) => `no viable alternative at character '${showChar(ch)}' ${at(pos)}`,
  /** Lexer expected a specific character (e.g. the closing `"` of a phrase) but found another / end of input. */
  mismatchedChar: (found: string | null, expected: string, pos: number) =>
    `mismatched character '${showChar(found)}' expecting '${expected}' ${at(pos)}`,
  noPositiveClause: (pos: number) => `Rules must contain at least one positive, non-stopword clause ${at(pos)}`,
  ambiguousAnd: (pos: number) =>
    `Ambiguous use of and as a keyword. Use a space to logically join two clauses, or "and" to find occurrences of and in text ${at(pos)}`,
  invalidOperator: (name: string) =>
    `Reference to invalid operator '${name}'. Operator is not available in current product or product packaging.`,

  // ---- our wording, same style ----
  /** A token that cannot appear here: `)` / `OR` / `<EOF>` where a clause is expected. */
  noViableInput: (tok: string, pos: number) => `no viable alternative at input '${tok}' ${at(pos)}`,
  missingCloseParen: (pos: number) => `missing ')' at '<EOF>' ${at(pos)}`,
  extraneousInput: (tok: string, pos: number) => `extraneous input '${tok}' expecting <EOF> ${at(pos)}`,
  negatedGroup: (pos: number) => `Negation of a group is not supported; negate each clause instead ${at(pos)}`,
  emptyValue: (op: string, pos: number) => `Operator '${op}' requires a value ${at(pos)}`,
  invalidValue: (op: string, value: string, pos: number) => `Invalid value '${value}' for operator '${op}' ${at(pos)}`,
  outOfRange: (op: string, value: string, range: string, pos: number) =>
    `Value '${value}' for operator '${op}' is out of range (${range}) ${at(pos)}`,
  standalone: (op: string, pos: number) =>
    `Operator '${op}' cannot be used alone; it must be combined with a positive standalone clause ${at(pos)}`,
  mustBeNegated: (op: string, pos: number) => `Operator '${op}' must be negated ${at(pos)}`,
  cannotBeNegated: (op: string, pos: number) => `Operator '${op}' cannot be negated ${at(pos)}`,
  onlyOne: (op: string, pos: number) => `Only one '${op}' operator is allowed per query ${at(pos)}`,
  tooLong: (what: 'Query' | 'Rule', length: number, limit: number) =>
    `${what} is too long: ${length} characters (limit ${limit})`,
};
