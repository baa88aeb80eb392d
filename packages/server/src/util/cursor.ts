/**
 * Opaque keyset cursors (next_token / previous_token / pagination_token). The token carries the direction, a
 * kind (so a followers token is refused by a timeline) and the keyset values; a checksum lets malformed tokens be
 * rejected before any query runs.
 */
import { InvalidRequest } from '../errors.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

function checksum(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x3ff;
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function fromBase32(s: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export type Direction = 'next' | 'prev';

export interface Cursor {
  direction: Direction;
  values: string[];
}

export function encodeCursor(kind: string, direction: Direction, values: (string | number)[]): string {
  const payload = `${direction === 'next' ? 'n' : 'p'}${kind}|${values.join('|')}`;
  const sum = checksum(payload);
  return toBase32(Buffer.from(payload, 'utf8')) + ALPHABET[sum >> 5] + ALPHABET[sum & 31];
}

export function decodeCursor(token: string, kind: string, param = 'pagination_token'): Cursor {
  const bad = () => InvalidRequest.one(param, [token], `The \`${param}\` query parameter value [${token}] is not valid`);
  if (token.length < 4 || token.length > 512) throw bad();
  const body = fromBase32(token.slice(0, -2));
  if (!body) throw bad();
  const payload = body.toString('utf8');
  const sum = checksum(payload);
  if (token.slice(-2) !== ALPHABET[sum >> 5] + ALPHABET[sum & 31]) throw bad();
  const dir = payload[0];
  const [k, ...values] = payload.slice(1).split('|');
  if ((dir !== 'n' && dir !== 'p') || k !== kind || values.some((v) => !/^\d{1,19}$/.test(v))) throw bad();
  return { direction: dir === 'n' ? 'next' : 'prev', values };
}
