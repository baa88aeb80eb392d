/**
 * Media uploads over HTTP (FACTS §11): one-shot (multipart and base64 JSON), chunked INIT/APPEND/FINALIZE/STATUS
 * (multipart and JSON segments, any order, retries), the legacy `command=` forms on /2/media/upload, processing
 * states on the server clock, and every validation error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { form, makeGif, makeMp4, makePng } from './media-fixtures.js';

const PROBLEM_400 = 'https://api.twitter.com/2/problems/invalid-request';
let s: TestServer;
let other: string;

const post = (path: string, body: unknown, token: string | null = s.userToken) => s.request('POST', path, { token, body });
const status = (id: string, token: string = s.userToken) => s.get('/2/media/upload', { token, query: { command: 'STATUS', media_id: id } });
const messages = (b: { errors?: { message?: string; detail?: string }[] }) => (b.errors ?? []).map((e) => e.message ?? e.detail).join(' | ');

async function chunked(bytes: Buffer, media_type: string, media_category: string, chunk = 64 * 1024) {
  const init = await post('/2/media/upload/initialize', { media_type, media_category, total_bytes: bytes.length });
  expect(init.status).toBe(200);
  const id = init.body.data.id as string;
  for (let i = 0, seg = 0; i < bytes.length; i += chunk, seg++) {
    const r = await post(`/2/media/upload/${id}/append`, form({ segment_index: seg }, bytes.subarray(i, i + chunk)));
    expect(r.status).toBe(200);
  }
  return { id, fin: await post(`/2/media/upload/${id}/finalize`, undefined) };
}

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { user: 100_000, app: 100_000 } } });
  const row = await s.handle.ctx.store.db.selectFrom('users').select('id').where('id', '<>', '2244994945' as never).orderBy('id').limit(1).executeTakeFirstOrThrow();
  other = await s.userTokenFor(String(row.id));
});
afterAll(async () => {
  await s?.close();
});

describe('one-shot upload', () => {
  it('multipart PNG: image answer with dimensions read from the bytes, no processing_info', async () => {
    const png = makePng(64, 48);
    const r = await post('/2/media/upload', form({ media_category: 'tweet_image' }, png));
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d.id).toMatch(/^\d{1,19}$/);
    expect(d.media_key).toBe(`3_${d.id}`);
    expect(d.size).toBe(png.length);
    expect(d.expires_after_secs).toBe(86400);
    expect(d.image).toEqual({ image_type: 'image/png', w: 64, h: 48 });
    expect(d.processing_info).toBeUndefined();
  });

  it('JSON with base64 media (the official SDK)', async () => {
    const png = makePng(10, 20);
    const r = await post('/2/media/upload', { media: png.toString('base64'), media_category: 'tweet_image' });
    expect(r.status).toBe(200);
    expect(r.body.data.image).toEqual({ image_type: 'image/png', w: 10, h: 20 });
  });

  it('media_category is required; unknown keys and bad base64 are refused', async () => {
    const png = makePng(4, 4).toString('base64');
    const a = await post('/2/media/upload', { media: png });
    expect(a.status).toBe(400);
    expect(a.body.type).toBe(PROBLEM_400);
    expect(messages(a.body)).toContain('media_category');
    const b = await post('/2/media/upload', form({}, makePng(4, 4)));
    expect(b.status).toBe(400);
    expect(messages(b.body)).toContain('media_category');
    const c = await post('/2/media/upload', { media: png, media_category: 'tweet_image', colour: 'red' });
    expect(c.status).toBe(400);
    expect(messages(c.body)).toContain('$.colour');
    const d = await post('/2/media/upload', { media: '***not base64***', media_category: 'tweet_image' });
    expect(d.status).toBe(400);
    const e = await post('/2/media/upload', { media_category: 'tweet_image' });
    expect(e.status).toBe(400);
    expect(messages(e.body)).toContain('$.media');
    const f = await post('/2/media/upload', { media: png, media_category: 'tweet_pictures' });
    expect(f.status).toBe(400);
    expect(messages(f.body)).toContain('media_category');
  });

  it('media_category must match media_type', async () => {
    const r = await post('/2/media/upload', form({ media_category: 'tweet_image', media_type: 'video/mp4' }, makePng(4, 4)));
    expect(r.status).toBe(400);
    expect(messages(r.body)).toBe('The `media_type` [video/mp4] does not match the `media_category` [tweet_image].');
  });

  it('images over 5 MB are refused', async () => {
    const big = makePng(8, 8, 5 * 1024 * 1024);
    const r = await post('/2/media/upload', form({ media_category: 'tweet_image' }, big));
    expect(r.status).toBe(400);
    expect(messages(r.body)).toBe('File size exceeds 5242880 bytes.');
  });

  it('corrupt image bytes fail processing with X error', async () => {
    const r = await post('/2/media/upload', form({ media_category: 'tweet_image' }, Buffer.from('this is not an image at all')));
    expect(r.status).toBe(200);
    expect(r.body.data.processing_info).toEqual({ state: 'failed', progress_percent: 100 });
    expect(r.body.errors[0]).toMatchObject({ title: 'InvalidMedia', detail: 'media type unrecognized.' });
  });

  it('bytes of another image format than media_type declares fail processing', async () => {
    const r = await post('/2/media/upload', form({ media_category: 'tweet_image', media_type: 'image/jpeg' }, makePng(5, 5)));
    expect(r.status).toBe(200);
    expect(r.body.data.processing_info.state).toBe('failed');
    expect(r.body.errors[0].detail).toContain('image/png');
  });

  it('needs a user token with media.write', async () => {
    const png = makePng(4, 4).toString('base64');
    const app = await post('/2/media/upload', { media: png, media_category: 'tweet_image' }, s.bearer);
    expect(app.status).toBe(403);
    const noScope = await s.userTokenFor('2244994945', ['tweet.read', 'users.read']);
    const r = await post('/2/media/upload', { media: png, media_category: 'tweet_image' }, noScope);
    expect(r.status).toBe(403);
    const anon = await post('/2/media/upload', { media: png, media_category: 'tweet_image' }, null);
    expect(anon.status).toBe(401);
  });
});

describe('chunked upload', () => {
  it('INIT answers id, media_key by category and a 15-day session', async () => {
    const r = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'amplify_video', total_bytes: 1000 });
    expect(r.status).toBe(200);
    expect(r.body.data.media_key).toBe(`13_${r.body.data.id}`);
    expect(r.body.data.expires_after_secs).toBe(1296000);
    const g = await post('/2/media/upload/initialize', { media_type: 'image/gif', media_category: 'tweet_gif', total_bytes: 1000 });
    expect(g.body.data.media_key).toBe(`16_${g.body.data.id}`);
    const v = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 1000 });
    expect(v.body.data.media_key).toBe(`7_${v.body.data.id}`);
  });

  it('INIT validation: category required and matching, per-type size limits, schema', async () => {
    const noCat = await post('/2/media/upload/initialize', { media_type: 'video/mp4', total_bytes: 10 });
    expect(noCat.status).toBe(400);
    expect(messages(noCat.body)).toBe('The `media_category` parameter is required.');
    const mismatch = await post('/2/media/upload/initialize', { media_type: 'image/png', media_category: 'tweet_video', total_bytes: 10 });
    expect(messages(mismatch.body)).toBe('The `media_type` [image/png] does not match the `media_category` [tweet_video].');
    const gif = await post('/2/media/upload/initialize', { media_type: 'image/gif', media_category: 'tweet_gif', total_bytes: 15 * 1024 * 1024 + 1 });
    expect(messages(gif.body)).toBe('File size exceeds 15728640 bytes.');
    const video = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 512 * 1024 * 1024 + 1 });
    expect(messages(video.body)).toBe('File size exceeds 536870912 bytes.');
    const empty = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 0 });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].parameters).toEqual({ total_bytes: ['0'] });
    expect(messages(empty.body)).toBe('The `total_bytes` value [0] is not valid');
    const emptyLegacy = await s.request('POST', '/2/media/upload', {
      token: s.userToken,
      query: { command: 'INIT', total_bytes: 0, media_type: 'image/png', media_category: 'tweet_image' },
    });
    expect(emptyLegacy.status).toBe(400);
    expect(messages(emptyLegacy.body)).toBe('The `total_bytes` value [0] is not valid');
    const noSize = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video' });
    expect(messages(noSize.body)).toBe('The `total_bytes` parameter is required.');
    const badEnum = await post('/2/media/upload/initialize', { media_type: 'video/avi', media_category: 'tweet_video', total_bytes: 5 });
    expect(badEnum.status).toBe(400);
    expect(messages(badEnum.body)).toContain('$.media_type');
    const owners = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 5, additional_owners: ['1'] });
    expect(messages(owners.body)).toBe('The `additional_owners` value [1] is not valid');
  });

  it('GIF in JSON segments: pending → in_progress → succeeded on the server clock', async () => {
    const gif = makeGif(40, 30, 3);
    const init = await post('/2/media/upload/initialize', { media_type: 'image/gif', media_category: 'tweet_gif', total_bytes: gif.length });
    const id = init.body.data.id;
    const half = Math.ceil(gif.length / 2);
    const a1 = await post(`/2/media/upload/${id}/append`, { media: gif.subarray(half).toString('base64'), segment_index: 1 });
    expect(a1.status).toBe(200);
    expect(a1.body.data.expires_at).toBe(Math.floor(s.clock.now() / 1000) + 1296000);
    await post(`/2/media/upload/${id}/append`, { media: gif.subarray(0, half).toString('base64'), segment_index: 0 });
    const fin = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(fin.status).toBe(200);
    expect(fin.body.data).toMatchObject({ id, media_key: `16_${id}`, size: gif.length, expires_after_secs: 86400, processing_info: { state: 'pending', check_after_secs: 1 } });
    s.clock.advance(1500);
    const mid = await status(id);
    expect(mid.body.data.processing_info).toEqual({ state: 'in_progress', check_after_secs: 2, progress_percent: 50 });
    expect(mid.body.data.image).toBeUndefined();
    s.clock.advance(1500);
    const done = await status(id);
    expect(done.body.data.processing_info).toEqual({ state: 'succeeded', progress_percent: 100 });
    expect(done.body.data.image).toEqual({ image_type: 'image/gif', w: 40, h: 30 });
    expect(done.body.data.expires_after_secs).toBe(86400 - 3);
    // FINALIZE again answers the same state.
    const again = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(again.body.data.processing_info.state).toBe('succeeded');
  });

  it('video: segments in any order, a retried segment replaces the first copy', async () => {
    const mp4 = makeMp4({ width: 640, height: 360, durationMs: 5000, totalBytes: 300_000 });
    const init = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: mp4.length });
    const id = init.body.data.id;
    const size = 100_000;
    const seg = (i: number) => mp4.subarray(i * size, (i + 1) * size);
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 2 }, seg(2)));
    // A first attempt at segment 0 with wrong bytes, then the retry with the right ones.
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 0 }, Buffer.alloc(size, 7)));
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 1 }, seg(1)));
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 0 }, seg(0)));
    const fin = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(fin.status).toBe(200);
    expect(fin.body.data.processing_info.state).toBe('pending');
    s.clock.advance(60_000);
    const done = await status(id);
    expect(done.body.data.processing_info.state).toBe('succeeded');
    expect(done.body.data.video).toEqual({ video_type: 'video/mp4' });
    const stored = await s.handle.ctx.repos.mediaUploads.byId(id);
    expect(stored!.probe).toEqual({ kind: 'video', format: 'mp4', width: 640, height: 360, durationMs: 5000, codec: 'avc1.42c01e', fps: 25 });
  });

  it('APPEND and FINALIZE errors: bad index, overflow, missing segment, size mismatch, foreign and unknown ids', async () => {
    const init = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 10 });
    const id = init.body.data.id;
    const idx = await post(`/2/media/upload/${id}/append`, { media: Buffer.alloc(2).toString('base64'), segment_index: 1000 });
    expect(idx.status).toBe(400);
    expect(messages(idx.body)).toContain('$.segment_index');
    const idxForm = await post(`/2/media/upload/${id}/append`, form({ segment_index: 1000 }, Buffer.alloc(2)));
    expect(messages(idxForm.body)).toBe('The `segment_index` value [1000] is not between 0 and 999');
    const over = await post(`/2/media/upload/${id}/append`, form({ segment_index: 0 }, Buffer.alloc(11)));
    expect(messages(over.body)).toBe('File size exceeds 10 bytes.');
    const other10 = (await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 10 })).body.data.id;
    await post(`/2/media/upload/${other10}/append`, form({ segment_index: 0 }, Buffer.alloc(6)));
    const sum = await post(`/2/media/upload/${other10}/append`, form({ segment_index: 1 }, Buffer.alloc(6)));
    expect(messages(sum.body)).toBe('The bytes received [12] exceed the declared `total_bytes` [10].');
    const none = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(messages(none.body)).toBe(`No segments were appended to media id [${id}].`);
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 1 }, Buffer.alloc(4)));
    const gap = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(messages(gap.body)).toBe(`Segment [0] of media id [${id}] is missing.`);
    await post(`/2/media/upload/${id}/append`, form({ segment_index: 0 }, Buffer.alloc(4)));
    const short = await post(`/2/media/upload/${id}/finalize`, undefined);
    expect(messages(short.body)).toBe('Segments do not add up to provided total file size.');
    const foreign = await post(`/2/media/upload/${id}/append`, form({ segment_index: 2 }, Buffer.alloc(2)), other);
    expect(foreign.status).toBe(400);
    expect(messages(foreign.body)).toBe(`The \`id\` value [${id}] is not a valid media id.`);
    const unknown = await post('/2/media/upload/123456789/finalize', undefined);
    expect(messages(unknown.body)).toBe('The `id` value [123456789] is not a valid media id.');
    const noMedia = await post(`/2/media/upload/${id}/append`, { segment_index: 3 });
    expect(messages(noMedia.body)).toContain('$.media');
    const st = await status(id);
    expect(messages(st.body)).toBe(`The media id [${id}] has not been finalized.`);
  });

  it('bad bodies and ids: malformed multipart, no boundary, arrays, unknown and foreign STATUS', async () => {
    const init = await post('/2/media/upload/initialize', { media_type: 'image/png', media_category: 'tweet_image', total_bytes: 50 });
    const id = init.body.data.id;
    const raw = (body: string, contentType: string) =>
      s.request('POST', `/2/media/upload/${id}/append`, { token: s.userToken, body, headers: { 'content-type': contentType } });
    const cut = await raw('--xyz\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n0\r\n--xyz\r\nContent-Disposition: form-data; name="media"\r\n\r\nabc', 'multipart/form-data; boundary=xyz');
    expect(cut.status).toBe(400);
    expect(messages(cut.body)).toBe('The multipart body is incomplete.');
    const noName = await raw('--xyz\r\nContent-Type: text/plain\r\n\r\n0\r\n--xyz--\r\n', 'multipart/form-data; boundary=xyz');
    expect(messages(noName.body)).toBe('A multipart part has no name.');
    const noBoundary = await raw('whatever', 'multipart/form-data');
    expect(messages(noBoundary.body)).toBe('A multipart/form-data body needs a boundary.');
    const tooBig = await post(`/2/media/upload/${id}/append`, form({ segment_index: 0 }, Buffer.alloc(51)));
    expect(messages(tooBig.body)).toBe('File size exceeds 50 bytes.');
    const arr = await post('/2/media/upload', [1, 2]);
    expect(arr.status).toBe(400);
    expect((await status('987654321')).status).toBe(400);
    const foreign = await status(id, other);
    expect(messages(foreign.body)).toBe(`The \`media_id\` value [${id}] is not a valid media id.`);
    const foreignFin = await post(`/2/media/upload/${id}/finalize`, undefined, other);
    expect(messages(foreignFin.body)).toBe(`The \`id\` value [${id}] is not a valid media id.`);
    const badId = await post('/2/media/upload/abc/finalize', undefined);
    expect(badId.status).toBe(400);
  });

  it('a finalized upload takes no more segments; expired sessions are refused', async () => {
    const png = makePng(3, 3);
    const { id, fin } = await chunked(png, 'image/png', 'tweet_image');
    expect(fin.body.data.image).toEqual({ image_type: 'image/png', w: 3, h: 3 });
    const late = await post(`/2/media/upload/${id}/append`, form({ segment_index: 1 }, Buffer.alloc(1)));
    expect(messages(late.body)).toBe(`The media id [${id}] has already been finalized.`);
    s.clock.advance(86_400_000);
    const gone = await status(id);
    expect(gone.status).toBe(400);
    expect(messages(gone.body)).toBe(`The media id [${id}] has expired.`);
  });

  it('corrupt video fails processing with X error after pending', async () => {
    const junk = Buffer.alloc(200_000, 0x41);
    const { id, fin } = await chunked(junk, 'video/mp4', 'tweet_video');
    expect(fin.body.data.processing_info.state).toBe('pending');
    s.clock.advance(5000);
    const r = await status(id);
    expect(r.body.data.processing_info).toEqual({ state: 'failed', progress_percent: 100 });
    expect(r.body.errors[0]).toMatchObject({ title: 'InvalidMedia', detail: 'Unsupported video format', code: 1 });
  });

  it('videos outside X limits fail with UnsupportedMedia', async () => {
    const long = makeMp4({ width: 640, height: 360, durationMs: 149_350 });
    const a = await chunked(long, 'video/mp4', 'tweet_video');
    s.clock.advance(5000);
    const r = await status(a.id);
    expect(r.body.errors[0]).toMatchObject({ title: 'UnsupportedMedia', detail: 'Duration 2.minutes+29.seconds+350.milliseconds exceeds max duration of 2.minutes+20.seconds' });
    const wide = makeMp4({ width: 1920, height: 1080, durationMs: 3000 });
    const b = await chunked(wide, 'video/mp4', 'tweet_video');
    s.clock.advance(5000);
    expect((await status(b.id)).body.errors[0].title).toBe('UnsupportedMedia');
    const fast = await chunked(makeMp4({ width: 640, height: 360, durationMs: 2000, fps: 120 }), 'video/mp4', 'tweet_video');
    const hevc = await chunked(makeMp4({ width: 640, height: 360, durationMs: 2000, codec: 'hvc1' }), 'video/mp4', 'tweet_video');
    s.clock.advance(5000);
    expect((await status(fast.id)).body.errors[0].detail).toBe('Frame rate 120 exceeds max frame rate of 60');
    expect((await status(hevc.id)).body.errors[0].detail).toBe('Video codec hvc1 is not supported (H.264 only)');
    const bigGif = await chunked(makeGif(1300, 10, 1), 'image/gif', 'tweet_gif');
    s.clock.advance(5000);
    expect((await status(bigGif.id)).body.errors[0].detail).toBe('GIF dimensions 1300x10 exceed the maximum of 1280x1080');
    const manyFrames = await chunked(makeGif(4, 4, 351), 'image/gif', 'tweet_gif');
    const truncated = await chunked(makeGif(40, 40, 2).subarray(0, 200), 'image/gif', 'tweet_gif');
    const okFrames = await chunked(makeGif(4, 4, 350), 'image/gif', 'tweet_gif');
    const heavy = await chunked(makeGif(2, 2, 240, { w: 1280, h: 1000 }), 'image/gif', 'tweet_gif');
    s.clock.advance(5000);
    expect((await status(manyFrames.id)).body.errors[0].detail).toBe('GIF has 351 frames, more than the maximum of 350');
    expect((await status(truncated.id)).body.errors[0].detail).toBe('Unsupported animated GIF format');
    expect((await status(okFrames.id)).body.data.processing_info.state).toBe('succeeded');
    expect((await status(heavy.id)).body.errors[0].detail).toBe('GIF has 307200000 pixels in all frames, more than the maximum of 300000000');
  });
});

describe('staging housekeeping', () => {
  it('sweep removes the segments of expired sessions and keeps live ones', async () => {
    const media = s.handle.ctx.media;
    const mk = async () => {
      const init = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 100 });
      await post(`/2/media/upload/${init.body.data.id}/append`, form({ segment_index: 0 }, Buffer.alloc(10)));
      return init.body.data.id as string;
    };
    const old = await mk();
    s.clock.advance(1_296_000_000 - 1000);
    const live = await mk();
    s.clock.advance(2000);
    expect(await media.sweep()).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(media.dir, 'uploads', old))).toBe(false);
    expect(await s.handle.ctx.repos.mediaUploads.segments(old)).toEqual([]);
    expect(existsSync(join(media.dir, 'uploads', live))).toBe(true);
    expect((await status(live)).status).toBe(400);
  });
});

describe('legacy command forms on /2/media/upload', () => {
  it('INIT / APPEND / FINALIZE in the query string and form fields, STATUS by GET', async () => {
    const png = makePng(12, 7);
    const init = await s.request('POST', '/2/media/upload', {
      token: s.userToken,
      query: { command: 'INIT', total_bytes: png.length, media_type: 'image/png', media_category: 'tweet_image' },
    });
    expect(init.status).toBe(200);
    const id = init.body.data.id;
    const app = await post('/2/media/upload', form({ command: 'APPEND', media_id: id, segment_index: 0 }, png));
    expect(app.status).toBe(200);
    expect(app.body.data.expires_at).toBeGreaterThan(0);
    const fin = await post('/2/media/upload', form({ command: 'FINALIZE', media_id: id }));
    expect(fin.body.data.image).toEqual({ image_type: 'image/png', w: 12, h: 7 });
    const st = await status(id);
    expect(st.body.data.id).toBe(id);
    const bad = await post('/2/media/upload', form({ command: 'FINALIZE' }));
    expect(messages(bad.body)).toBe('The `media_id` parameter can not be empty');
    for (const media_id of ['9999999999999999999', '12a']) {
      const big = await post('/2/media/upload', form({ command: 'APPEND', media_id, segment_index: 0 }, png));
      expect(big.status).toBe(400);
      expect(messages(big.body)).toBe(`The \`media_id\` value [${media_id}] is not valid`);
    }
    const bigQuery = await s.request('POST', '/2/media/upload', { token: s.userToken, query: { command: 'FINALIZE', media_id: '9999999999999999999' } });
    expect(bigQuery.status).toBe(400);
    const badCmd = await s.request('POST', '/2/media/upload', { token: s.userToken, query: { command: 'RESET' } });
    expect(badCmd.status).toBe(400);
  });
});
