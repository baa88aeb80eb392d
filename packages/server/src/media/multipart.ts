/**
 * A streaming multipart/form-data reader (RFC 7578). File parts go straight to disk as they arrive (back-pressure
 * from the file honoured), so memory stays bounded by one network chunk whatever the upload's size; text fields
 * are collected up to a small limit. `media_data` (the v1.1 base64 form) is decoded on the fly into a file too.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { InvalidRequest } from '../errors.js';

export interface MultipartFile {
  /** The form field name (`media` or `media_data`). */
  name: string;
  filename: string | null;
  contentType: string | null;
  path: string;
  size: number;
}

export interface MultipartResult {
  fields: Record<string, string>;
  file: MultipartFile | null;
}

export interface MultipartOptions {
  boundary: string;
  /** Directory the file part is written to (a fresh name inside it). */
  dir: string;
  /** Largest file accepted (bytes after decoding); more → `TooLarge`. */
  maxFileBytes: number;
  maxFieldBytes?: number;
}

/** The file part exceeded `maxFileBytes`. */
export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`file part larger than ${limit} bytes`);
  }
}

/** A request body announced as multipart: the raw stream, read by the handler that knows where bytes go. */
export class MultipartBody {
  constructor(
    readonly stream: Readable,
    readonly boundary: string,
  ) {}
}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

const bad = (message: string) => InvalidRequest.one('media', [], message);
const FILE_FIELDS = new Set(['media', 'media_data']);

interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  file: { ws: WriteStream; path: string; size: number; base64: boolean; carry: string } | null;
  text: Buffer[];
  textSize: number;
}

export async function readMultipart(input: Readable | AsyncIterable<Buffer>, o: MultipartOptions): Promise<MultipartResult> {
  const maxField = o.maxFieldBytes ?? 64 * 1024;
  const delim = Buffer.from(`--${o.boundary}`);
  const bodyDelim = Buffer.from(`\r\n--${o.boundary}`);
  const fields: Record<string, string> = {};
  let file: MultipartFile | null = null;
  const written: string[] = [];
  let buf: Buffer = Buffer.alloc(0);
  type State = 'preamble' | 'afterDelim' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let part: Part | null = null;

  const write = async (p: Part, data: Buffer): Promise<void> => {
    if (!data.length) return;
    if (!p.file) {
      p.textSize += data.length;
      if (p.textSize > maxField) throw bad(`The form field [${p.name}] is too large.`);
      p.text.push(data);
      return;
    }
    const f = p.file;
    let out = data;
    if (f.base64) {
      const s = f.carry + data.toString('latin1').replace(/[^A-Za-z0-9+/=_-]/g, '');
      const whole = s.length - (s.length % 4);
      f.carry = s.slice(whole);
      out = Buffer.from(s.slice(0, whole), 'base64');
    }
    f.size += out.length;
    if (f.size > o.maxFileBytes) throw new TooLarge(o.maxFileBytes);
    if (!f.ws.write(out)) await once(f.ws, 'drain');
  };

  const startPart = (head: string): Part => {
    let name = '';
    let filename: string | null = null;
    let contentType: string | null = null;
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      if (k === 'content-disposition') {
        name = /\bname="([^"]*)"/i.exec(v)?.[1] ?? /\bname=([^;\s]+)/i.exec(v)?.[1] ?? '';
        filename = /\bfilename="([^"]*)"/i.exec(v)?.[1] ?? null;
      } else if (k === 'content-type') contentType = v;
    }
    if (!name) throw bad('A multipart part has no name.');
    const p: Part = { name, filename, contentType, file: null, text: [], textSize: 0 };
    if (FILE_FIELDS.has(name)) {
      if (file) throw bad('Only one media part may be sent.');
      const path = join(o.dir, `part-${randomBytes(8).toString('hex')}`);
      written.push(path);
      p.file = { ws: createWriteStream(path), path, size: 0, base64: name === 'media_data', carry: '' };
    }
    return p;
  };

  const endPart = async (p: Part): Promise<void> => {
    if (p.file) {
      const f = p.file;
      if (f.base64 && f.carry) {
        const tail = Buffer.from(f.carry, 'base64');
        f.size += tail.length;
        if (f.size > o.maxFileBytes) throw new TooLarge(o.maxFileBytes);
        f.ws.write(tail);
      }
      f.ws.end();
      await once(f.ws, 'close');
      file = { name: p.name, filename: p.filename, contentType: p.contentType, path: f.path, size: f.size };
    } else {
      fields[p.name] = Buffer.concat(p.text).toString('utf8');
    }
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      if (state === 'preamble') {
        const i = buf.indexOf(delim);
        if (i < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delim.length + 1));
          return;
        }
        buf = buf.subarray(i + delim.length);
        state = 'afterDelim';
      } else if (state === 'afterDelim') {
        if (buf.length < 2) return;
        const two = buf.subarray(0, 2).toString('latin1');
        if (two === '--') {
          state = 'done';
          return;
        }
        if (two !== '\r\n') throw bad('The multipart body is malformed.');
        buf = buf.subarray(2);
        state = 'headers';
      } else if (state === 'headers') {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) {
          if (buf.length > 16 * 1024) throw bad('The multipart part headers are too large.');
          return;
        }
        part = startPart(buf.subarray(0, i).toString('utf8'));
        buf = buf.subarray(i + 4);
        state = 'body';
      } else if (state === 'body') {
        const i = buf.indexOf(bodyDelim);
        if (i < 0) {
          const safe = buf.length - (bodyDelim.length - 1);
          if (safe > 0) {
            await write(part!, buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          return;
        }
        await write(part!, buf.subarray(0, i));
        await endPart(part!);
        part = null;
        buf = buf.subarray(i + bodyDelim.length);
        state = 'afterDelim';
      } else return;
    }
  };

  // A refused upload must not destroy the request stream: the error answer still has to reach the client.
  const source: AsyncIterable<Buffer> = input instanceof Readable ? input.iterator({ destroyOnReturn: false }) : input;
  try {
    for await (const chunk of source) {
      if (state === 'done') continue;
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      await drain();
    }
    if (state !== 'done') throw bad('The multipart body is incomplete.');
    return { fields, file };
  } catch (err) {
    const open = part as Part | null;
    // A stream destroyed while still opening creates its file afterwards: wait for it to close before removing.
    const ws = open?.file?.ws;
    if (ws && !ws.closed) await new Promise<void>((done) => ws.once('close', () => done()).destroy());
    await Promise.all(written.map((p) => rm(p, { force: true })));
    throw err;
  }
}
