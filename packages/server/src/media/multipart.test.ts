/**
 * The streaming multipart reader against bodies cut into chunks of every awkward size (a delimiter split over
 * two chunks, one-byte chunks, CRLF at a chunk edge), with binary payloads that contain near-delimiters.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMultipart, TooLarge } from './multipart.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-multipart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const B = 'XyZb0undary';

function body(fields: Record<string, string>, file: Buffer | null, fileField = 'media'): Buffer {
  const parts: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${fileField}"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${B}--\r\nepilogue`));
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random chunking (xorshift). */
function* chunks(buf: Buffer, seed: number, max: number): Generator<Buffer> {
  let x = seed || 1;
  for (let i = 0; i < buf.length; ) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = 1 + (Math.abs(x) % max);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

async function* from(g: Iterable<Buffer>): AsyncGenerator<Buffer> {
  for (const c of g) yield c;
}

describe('readMultipart', () => {
  // Payload with CRLFs, dashes and a near-boundary that must not end the part.
  const payload = Buffer.concat([Buffer.from(`\r\n--${B.slice(0, -1)}\r\n--\r\n`), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff))]);

  it('reassembles fields and the file for any chunking', async () => {
    const raw = body({ segment_index: '7', command: 'APPEND' }, payload);
    for (const [seed, max] of [[1, 1], [2, 3], [3, 17], [4, 64], [5, 4096], [6, raw.length]] as const) {
      const r = await readMultipart(from(chunks(raw, seed, max)), { boundary: B, dir, maxFileBytes: 1e6 });
      expect(r.fields).toEqual({ segment_index: '7', command: 'APPEND' });
      expect(r.file!.size).toBe(payload.length);
      expect(readFileSync(r.file!.path)).toEqual(payload);
      rmSync(r.file!.path);
    }
  });

  it('decodes media_data (base64) split anywhere', async () => {
    const raw = body({}, Buffer.from(payload.toString('base64').replace(/(.{76})/g, '$1\r\n')), 'media_data');
    for (const max of [1, 5, 333]) {
      const r = await readMultipart(from(chunks(raw, max, max)), { boundary: B, dir, maxFileBytes: 1e6 });
      expect(readFileSync(r.file!.path)).toEqual(payload);
      rmSync(r.file!.path);
    }
  });

  it('refuses oversize files and truncated bodies, leaving no files behind', async () => {
    const before = readdirSync(dir).length;
    await expect(readMultipart(from([body({}, payload)]), { boundary: B, dir, maxFileBytes: 100 })).rejects.toBeInstanceOf(TooLarge);
    const cut = body({ a: '1' }, payload).subarray(0, 300);
    await expect(readMultipart(from(chunks(cut, 9, 50)), { boundary: B, dir, maxFileBytes: 1e6 })).rejects.toThrow('incomplete');
    expect(readdirSync(dir).length).toBe(before);
  });
});
