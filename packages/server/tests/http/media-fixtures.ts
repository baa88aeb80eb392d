/**
 * Media fixtures made by the tests themselves: a PNG (node:zlib), a GIF (hand-packed LZW), a minimal valid MP4
 * (ftyp/moov/mvhd/trak/tkhd/mdia/mdhd/hdlr/minf/vmhd/dinf/stbl/stsd(avc1+avcC)/stts/stsc/stsz/stco + mdat), and
 * helpers to send them (multipart with FormData, JSON with base64).
 */
import { crc32, deflateSync } from 'node:zlib';

// ——— PNG ———

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** An RGB PNG with a gradient (so it compresses like a picture, not a blank). `pad` adds a tEXt chunk of that size. */
export function makePng(width: number, height: number, pad = 0): Buffer {
  const raw = Buffer.alloc((1 + width * 3) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (1 + width * 3);
    for (let x = 0; x < width; x++) {
      raw[o + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[o + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[o + 3 + x * 3] = (x ^ y) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const chunks = [pngChunk('IHDR', ihdr)];
  if (pad > 0) chunks.push(pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(pad, 0x61)])));
  chunks.push(pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

// ——— GIF ———

/**
 * GIF89a with `frames` frames of a 4-colour palette. LZW: minimum code size 2 (codes 0–3 colours, 4 clear, 5 end);
 * a clear code every two pixels keeps the code width at 3 bits, which every decoder accepts.
 */
export function makeGif(width: number, height: number, frames = 2, claim?: { w: number; h: number }): Buffer {
  const out: number[] = [];
  const u16 = (n: number) => out.push(n & 0xff, (n >> 8) & 0xff);
  out.push(...Buffer.from('GIF89a'));
  u16(width);
  u16(height);
  out.push(0xf1, 0, 0); // global colour table, 4 entries
  out.push(0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255);
  out.push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0); // loop forever
  for (let f = 0; f < frames; f++) {
    out.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control: 100 ms
    out.push(0x2c);
    u16(0);
    u16(0);
    // `claim`: frame descriptors announcing a larger frame than the data holds (the pixel budget check only
    // reads descriptors).
    u16(claim?.w ?? width);
    u16(claim?.h ?? height);
    out.push(0);
    out.push(2); // LZW minimum code size
    const codes: number[] = [];
    const n = width * height;
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) codes.push(4);
      codes.push((i + f) % 4);
    }
    codes.push(5);
    const bytes: number[] = [];
    let acc = 0;
    let bits = 0;
    for (const c of codes) {
      acc |= c << bits;
      bits += 3;
      while (bits >= 8) {
        bytes.push(acc & 0xff);
        acc >>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) bytes.push(acc & 0xff);
    for (let i = 0; i < bytes.length; i += 255) {
      const sub = bytes.slice(i, i + 255);
      out.push(sub.length, ...sub);
    }
    out.push(0);
  }
  out.push(0x3b);
  return Buffer.from(out);
}

// ——— MP4 ———

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u16b = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const full = (type: string, version: number, flags: number, ...parts: Buffer[]) =>
  box(type, Buffer.from([version, (flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff]), ...parts);
const MATRIX = Buffer.concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);

export interface Mp4Spec {
  width: number;
  height: number;
  durationMs: number;
  /** Total file size wanted (the mdat is padded to reach it); default: just the headers and a few samples. */
  totalBytes?: number;
  /** Frames per second (default 25). */
  fps?: number;
  /** Sample entry type (default `avc1`, H.264; e.g. `hvc1` for HEVC). */
  codec?: string;
}

/** ftyp + moov (movie header before the data, "fast start"); returns the header and the mdat payload size. */
export function mp4Header(spec: Mp4Spec): { header: Buffer; mdatPayload: number } {
  const samples = Math.max(1, Math.round((spec.durationMs / 1000) * (spec.fps ?? 25)));
  const build = (mdatPayload: number, mdatOffset: number) => {
    const sampleSize = Math.max(1, Math.floor(mdatPayload / samples));
    const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2avc1mp41'));
    const mvhd = full('mvhd', 0, 0, u32(0), u32(0), u32(1000), u32(spec.durationMs), u32(0x10000), u16b(0x100), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(2));
    const tkhd = full('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(spec.durationMs), Buffer.alloc(8), u16b(0), u16b(0), u16b(0), u16b(0), MATRIX, u32(spec.width << 16), u32(spec.height << 16));
    const mdhd = full('mdhd', 0, 0, u32(0), u32(0), u32(1000), u32(spec.durationMs), u16b(0x55c4), u16b(0));
    const hdlr = full('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0'));
    const vmhd = full('vmhd', 0, 1, Buffer.alloc(8));
    const dinf = box('dinf', full('dref', 0, 0, u32(1), full('url ', 0, 1)));
    const sps = Buffer.from([0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8]);
    const pps = Buffer.from([0x68, 0xce, 0x38, 0x80]);
    const avcC = box('avcC', Buffer.from([1, 0x42, 0xc0, 0x1e, 0xff, 0xe1]), u16b(sps.length), sps, Buffer.from([1]), u16b(pps.length), pps);
    const avc1 = box(
      spec.codec ?? 'avc1',
      Buffer.alloc(6),
      u16b(1),
      Buffer.alloc(16),
      u16b(spec.width),
      u16b(spec.height),
      u32(0x480000),
      u32(0x480000),
      u32(0),
      u16b(1),
      Buffer.alloc(32),
      u16b(0x18),
      u16b(0xffff),
      avcC,
    );
    const stsd = full('stsd', 0, 0, u32(1), avc1);
    const stts = full('stts', 0, 0, u32(1), u32(samples), u32(Math.max(1, Math.round(spec.durationMs / samples))));
    const stsc = full('stsc', 0, 0, u32(1), u32(1), u32(samples), u32(1));
    const stsz = full('stsz', 0, 0, u32(sampleSize), u32(samples));
    const stco = full('stco', 0, 0, u32(1), u32(mdatOffset));
    const stbl = box('stbl', stsd, stts, stsc, stsz, stco);
    const moov = box('moov', mvhd, box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl))));
    return Buffer.concat([ftyp, moov]);
  };
  const first = build(samples, 0);
  const headerLen = first.length + 8; // + mdat box header
  const mdatPayload = spec.totalBytes !== undefined ? spec.totalBytes - headerLen : samples * 16;
  if (mdatPayload < samples) throw new Error('totalBytes too small for the MP4 headers');
  const moovAndFtyp = build(mdatPayload, headerLen);
  return { header: Buffer.concat([moovAndFtyp, u32(8 + mdatPayload), Buffer.from('mdat')]), mdatPayload };
}

/** The whole MP4 in memory (tests); the mdat holds a repeating pattern. */
export function makeMp4(spec: Mp4Spec): Buffer {
  const { header, mdatPayload } = mp4Header(spec);
  const data = Buffer.alloc(mdatPayload);
  for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) & 0xff;
  return Buffer.concat([header, data]);
}

// ——— sending ———

/** A multipart form with text fields and a `media` file part (what twitter-api-v2 and tweepy send). */
export function form(fields: Record<string, string | number>, media?: Buffer, fileField = 'media'): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  if (media) fd.append(fileField, new Blob([new Uint8Array(media)]), 'blob');
  return fd;
}
