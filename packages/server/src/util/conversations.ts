/**
 * Conversation ids shared by Direct Messages and Chats: a one-to-one conversation is named by its two users,
 * `<smaller id>-<larger id>` (numerically), whether or not it exists yet.
 */
import { idInRange } from './snowflake.js';

const PAIR = /^(\d{1,19})-(\d{1,19})$/;

export function pairId(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** The two user ids of a one-to-one id (in either order as written), or null when `id` is not one. */
export function pairOf(id: string): [string, string] | null {
  const m = PAIR.exec(id);
  if (!m || !idInRange(m[1]!) || !idInRange(m[2]!)) return null;
  return [m[1]!, m[2]!];
}
