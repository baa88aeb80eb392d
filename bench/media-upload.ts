/**
 * Memory of a media upload: the server's peak resident set (VmHWM) while a 200 MB video is uploaded, against
 * the same server's peak while a 10 MB video is uploaded (the baseline, measured in the same run). Each size is
 * sent twice, as X's clients do it (4 MiB multipart segments) and as one 200 MB multipart request, then
 * finalized (assembly streams every segment into the blob store, hashing as it goes) and polled to `succeeded`.
 * A server that buffered uploads would grow by the upload size; a streaming one stays flat: the ratio
 * (peak RSS during 200 MB) ÷ (peak RSS during 10 MB) stays near 1, while the bytes ratio is 20.
 *
 *   npx tsx bench/media-upload.ts [--mb 200]
 *
 * Exit code 1 when an upload fails, or when the 200 MB peak grows by more than 64 MB over the idle server.
 */
import { ServerProcess } from './children.js';
import { mp4Header } from '../packages/server/tests/http/media-fixtures.js';

const MB = 1024 * 1024;
const argMb = process.argv.indexOf('--mb');
const bigMb = argMb > 0 ? Number(process.argv[argMb + 1]) : 200;
const SEGMENT = 4 * MB;

interface Hello {
  url: string;
  token: string;
}

const server = ServerProcess.spawn('roost-media', 'media-server.ts');
const hello = await server.handshake<Hello>(120_000);
const auth = { authorization: `Bearer ${hello.token}` };
const memory = async () => JSON.parse(await server.command('rss')) as { rss: number; hwm: number };

/** The video's bytes from `start` for `length` bytes, made on the fly (the bench holds at most one chunk). */
function videoSource(total: number) {
  const { header } = mp4Header({ width: 1280, height: 720, durationMs: 60_000, totalBytes: total });
  return async function* range(start: number, length: number): AsyncGenerator<Uint8Array> {
    const end = start + length;
    for (let off = start; off < end; ) {
      const n = Math.min(256 * 1024, end - off);
      const chunk = Buffer.alloc(n, 0x11);
      if (off < header.length) header.copy(chunk, 0, off, Math.min(header.length, off + n));
      yield chunk;
      off += n;
    }
  };
}

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(hello.url + path, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** One APPEND as a streamed multipart body (boundary written by hand, so nothing is buffered here either). */
async function append(id: string, index: number, source: AsyncGenerator<Uint8Array>): Promise<void> {
  const boundary = `roostbench${index}x${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n${index}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    yield* source;
    yield tail;
  }
  const res = await fetch(`${hello.url}/2/media/upload/${id}/append`, {
    method: 'POST',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: ReadableStream.from(body()),
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  if (!res.ok) throw new Error(`APPEND ${index} → ${res.status}: ${text.slice(0, 300)}`);
}

async function upload(totalBytes: number, segment: number): Promise<void> {
  const range = videoSource(totalBytes);
  const init = await call('POST', '/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'amplify_video', total_bytes: totalBytes });
  const id = init.data.id as string;
  for (let i = 0, off = 0; off < totalBytes; i++, off += segment) await append(id, i, range(off, Math.min(segment, totalBytes - off)));
  let st = await call('POST', `/2/media/upload/${id}/finalize`);
  for (let i = 0; i < 200 && st.data.processing_info && st.data.processing_info.state !== 'succeeded'; i++) {
    if (st.data.processing_info.state === 'failed') throw new Error(`processing failed: ${JSON.stringify(st)}`);
    await new Promise((r) => setTimeout(r, st.data.processing_info.check_after_secs * 1000));
    st = await call('GET', `/2/media/upload?command=STATUS&media_id=${id}`);
  }
  if (st.data.size !== totalBytes) throw new Error(`size ${st.data.size} ≠ ${totalBytes}`);
}

/** Peak RSS growth over the RSS right before, for one upload. */
async function peakGrowth(totalBytes: number, segment: number): Promise<{ before: number; peak: number }> {
  await server.command('reset');
  const before = (await memory()).rss;
  await upload(totalBytes, segment);
  const peak = (await memory()).hwm;
  return { before, peak };
}

const fmt = (b: number) => `${(b / MB).toFixed(1)} MB`;
let failed = false;
try {
  // Warm-up: the first upload loads probing code and grows the heap once.
  await upload(2 * MB, SEGMENT);
  const idle = await memory();
  const rows: [string, { before: number; peak: number }][] = [];
  for (const [label, bytes, seg] of [
    ['10 MB, 4 MiB segments (baseline)', 10 * MB, SEGMENT],
    [`${bigMb} MB, 4 MiB segments`, bigMb * MB, SEGMENT],
    ['10 MB, one request (baseline)', 10 * MB, 10 * MB],
    [`${bigMb} MB, one request`, bigMb * MB, bigMb * MB],
  ] as const) {
    rows.push([label, await peakGrowth(bytes, seg)]);
  }
  console.log(`server idle RSS after warm-up: ${fmt(idle.rss)}\n`);
  console.log(`${'upload'.padEnd(36)} ${'RSS before'.padStart(11)} ${'peak RSS'.padStart(10)} ${'growth'.padStart(9)}`);
  for (const [label, r] of rows) {
    console.log(`${label.padEnd(36)} ${fmt(r.before).padStart(11)} ${fmt(r.peak).padStart(10)} ${fmt(Math.max(0, r.peak - r.before)).padStart(9)}`);
  }
  const peak = (i: number) => rows[i]![1].peak;
  console.log(`\npeak RSS, ${bigMb} MB ÷ 10 MB: segments ${(peak(1) / peak(0)).toFixed(2)}, one request ${(peak(3) / peak(2)).toFixed(2)} (bytes ratio ${(bigMb / 10).toFixed(0)})`);
  const worst = Math.max(rows[1]![1].peak, rows[3]![1].peak) - idle.rss;
  console.log(`peak RSS over idle during the ${bigMb} MB uploads: ${fmt(worst)} (limit 64 MB)`);
  if (worst > 64 * MB) failed = true;
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
