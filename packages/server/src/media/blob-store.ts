/**
 * Where media bytes live. `BlobStore` is content-addressed (the key is the SHA-256 of the bytes), so the same
 * file uploaded twice is stored once; `FsBlobStore` keeps blobs under a directory on the local filesystem. An
 * S3-compatible store implements the same four methods.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface BlobStore {
  /** Streams `source` into the store; returns its content key (hex SHA-256) and size. */
  put(source: Readable | AsyncIterable<Buffer>): Promise<{ key: string; size: number }>;
  /** Reads a blob (whole, or bytes `start`..`end` inclusive). */
  open(key: string, range?: { start: number; end: number }): Readable;
  /** Size in bytes, or null when absent. */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{64}$/;

export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`bad blob key ${key}`);
    return join(this.root, 'blobs', key.slice(0, 2), key);
  }

  async put(source: Readable | AsyncIterable<Buffer>): Promise<{ key: string; size: number }> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.blob`);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmp));
      const key = hash.digest('hex');
      const dest = this.pathOf(key);
      await mkdir(join(this.root, 'blobs', key.slice(0, 2)), { recursive: true });
      // Same bytes already stored: keep the existing file (content addressing makes them identical).
      if ((await this.size(key)) === size) await rm(tmp, { force: true });
      else await rename(tmp, dest);
      return { key, size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  open(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
