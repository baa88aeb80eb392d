/**
 * Media in use: a 50 MB video uploaded in 1 MiB segments out of order (with retried segments) across a server
 * restart, posted, and looked up with the `attachments.media_keys` expansion; the bytes served at the URLs the
 * Media object gives; posting rules (owner or additional owner, processed only, photo/GIF/video mixes,
 * tagged users, expiry).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { form, makeGif, makeMp4, makePng } from './media-fixtures.js';
import { otherUser } from './find.js';
import { scratchDir } from '../scratch.js';

const LIMITS = { '*': { user: 100_000, app: 100_000 } };
const ALL_MEDIA_FIELDS = 'url,preview_image_url,width,height,duration_ms,alt_text,variants,public_metrics,media_key,type';
const messages = (b: { errors?: { message?: string; detail?: string }[] }) => (b.errors ?? []).map((e) => e.message ?? e.detail).join(' | ');

describe('a 50 MB chunked video across a restart, then a post with it', () => {
  const dir = scratchDir('roost-media-restart-');
  const dbUrl = join(dir, 'roost.db');
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
  });

  it('uploads, restarts, continues, posts and serves the same bytes', async () => {
    const video = makeMp4({ width: 1280, height: 720, durationMs: 30_000, totalBytes: 50 * 1024 * 1024 });
    const digest = createHash('sha256').update(video).digest('hex');
    const SEG = 1024 * 1024;
    const count = Math.ceil(video.length / SEG);
    expect(count).toBe(50);
    const seg = (i: number) => video.subarray(i * SEG, (i + 1) * SEG);
    // Out of order: odd segments descending, then even ones ascending.
    const order = [...Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 1).reverse(), ...Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 0)];

    s = await startTestServer({ dbUrl, limits: LIMITS });
    const init = await s.request('POST', '/2/media/upload/initialize', {
      token: s.userToken,
      body: { media_type: 'video/mp4', media_category: 'amplify_video', total_bytes: video.length },
    });
    const id = init.body.data.id as string;
    const append = async (srv: TestServer, i: number, bytes: Buffer) => {
      const r = await srv.request('POST', `/2/media/upload/${id}/append`, { token: srv.userToken, body: form({ segment_index: i }, bytes) });
      expect(r.status).toBe(200);
    };
    const firstHalf = order.slice(0, 30);
    for (const i of firstHalf) await append(s, i, seg(i));
    // Retries: segment 7 again, and segment 3 first with wrong bytes then right ones.
    await append(s, 7, seg(7));
    await append(s, 3, Buffer.alloc(SEG, 0x55));
    await append(s, 3, seg(3));
    await s.close();

    // Restart on the same database and media directory: the session and its segments are still there.
    s = await startTestServer({ dbUrl, limits: LIMITS });
    const early = await s.request('POST', `/2/media/upload/${id}/finalize`, { token: s.userToken });
    expect(early.status).toBe(400);
    expect(messages(early.body)).toMatch(/^Segment \[\d+\] of media id \[\d+\] is missing\.$/);
    for (const i of order.slice(30)) await append(s, i, seg(i));
    const fin = await s.request('POST', `/2/media/upload/${id}/finalize`, { token: s.userToken });
    expect(fin.status).toBe(200);
    expect(fin.body.data).toMatchObject({ id, media_key: `13_${id}`, size: video.length, processing_info: { state: 'pending', check_after_secs: 1 } });

    // Not processed yet: a post with it is refused.
    const tooSoon = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'too soon', media: { media_ids: [id] } } });
    expect(tooSoon.status).toBe(400);
    expect(messages(tooSoon.body)).toBe('Your media IDs are invalid.');

    s.clock.advance(2000);
    const mid = await s.get('/2/media/upload', { token: s.userToken, query: { command: 'STATUS', media_id: id } });
    expect(mid.body.data.processing_info.state).toBe('in_progress');
    expect(mid.body.data.processing_info.progress_percent).toBeGreaterThan(0);
    s.clock.advance(10_000);
    const done = await s.get('/2/media/upload', { token: s.userToken, query: { command: 'STATUS', media_id: id } });
    expect(done.body.data.processing_info).toEqual({ state: 'succeeded', progress_percent: 100 });

    const created = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'our launch video', media: { media_ids: [id] } } });
    expect(created.status).toBe(201);
    const postId = created.body.data.id;
    const got = await s.get(`/2/tweets/${postId}`, {
      token: s.userToken,
      query: { expansions: 'attachments.media_keys', 'tweet.fields': 'attachments', 'media.fields': ALL_MEDIA_FIELDS },
    });
    expect(got.status).toBe(200);
    expect(got.body.data.attachments.media_keys).toEqual([`13_${id}`]);
    const m = got.body.includes.media[0];
    expect(m).toMatchObject({ media_key: `13_${id}`, type: 'video', width: 1280, height: 720, duration_ms: 30_000, public_metrics: { view_count: 0 } });
    expect(m.url).toBeUndefined();
    expect(m.variants).toHaveLength(1);
    expect(m.variants[0]).toMatchObject({ content_type: 'video/mp4', bit_rate: Math.round((video.length * 8) / 30) });

    // The bytes at the variant URL are the uploaded ones; ranges work; the preview is a PNG of the video size.
    const bytes = Buffer.from(await (await fetch(m.variants[0].url)).arrayBuffer());
    expect(bytes.length).toBe(video.length);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(digest);
    const part = await fetch(m.variants[0].url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${video.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(video.subarray(100, 200));
    const preview = await fetch(m.preview_image_url);
    expect(preview.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await preview.arrayBuffer());
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(720);

    // Staging is cleaned up once finalized.
    expect(await s.handle.ctx.repos.mediaUploads.segments(id)).toEqual([]);
  }, 120_000);
});

describe('posting media', () => {
  let s: TestServer;
  let other: { id: string; token: string };
  const upload = async (bytes: Buffer, category: string, token = s.userToken, extra: Record<string, string> = {}) => {
    const r = await s.request('POST', '/2/media/upload', { token, body: form({ media_category: category, ...extra }, bytes) });
    expect(r.status).toBe(200);
    return r.body.data.id as string;
  };
  const tweet = (body: unknown, token = s.userToken) => s.request('POST', '/2/tweets', { token, body });
  let n = 0;
  const text = () => `media post ${++n}`;

  beforeAll(async () => {
    s = await startTestServer({ limits: LIMITS });
    other = await otherUser(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('four photos with alt text: every photo field in includes.media, bytes served at url', async () => {
    const pngs = [makePng(30, 20), makePng(31, 20), makePng(32, 20), makePng(33, 20)];
    const ids: string[] = [];
    for (const p of pngs) ids.push(await upload(p, 'tweet_image'));
    const md = await s.request('POST', '/2/media/metadata', { token: s.userToken, body: { id: ids[0], metadata: { alt_text: { text: 'a gradient' } } } });
    expect(md.status).toBe(200);
    const r = await tweet({ text: text(), media: { media_ids: ids, tagged_user_ids: [other.id] } });
    expect(r.status).toBe(201);
    const got = await s.get(`/2/tweets/${r.body.data.id}`, {
      token: s.userToken,
      query: { expansions: 'attachments.media_keys', 'media.fields': ALL_MEDIA_FIELDS },
    });
    const media = got.body.includes.media;
    expect(media.map((m: { media_key: string }) => m.media_key)).toEqual(ids.map((i) => `3_${i}`));
    expect(media[0]).toEqual({ media_key: `3_${ids[0]}`, type: 'photo', url: expect.stringMatching(/\/media\/3_\d+\.png$/), width: 30, height: 20, alt_text: 'a gradient' });
    const res = await fetch(media[3].url);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pngs[3]);
    const stored = (await s.handle.ctx.repos.posts.byIds([r.body.data.id])).get(r.body.data.id)!;
    expect(stored.extras?.tagged_user_ids).toEqual([other.id]);
  });

  it('an animated GIF: preview and variant', async () => {
    const gifId = await upload(makeGif(48, 32, 4), 'tweet_gif');
    const pending = await tweet({ text: text(), media: { media_ids: [gifId] } });
    expect(messages(pending.body)).toBe('Your media IDs are invalid.');
    s.clock.advance(5000);
    const r = await tweet({ text: text(), media: { media_ids: [gifId] } });
    expect(r.status).toBe(201);
    const got = await s.get(`/2/tweets/${r.body.data.id}`, { token: s.userToken, query: { expansions: 'attachments.media_keys', 'media.fields': ALL_MEDIA_FIELDS } });
    const m = got.body.includes.media[0];
    expect(m).toMatchObject({ media_key: `16_${gifId}`, type: 'animated_gif', width: 48, height: 32, public_metrics: { view_count: 0 } });
    expect(m.variants).toEqual([{ bit_rate: 0, content_type: 'image/gif', url: expect.stringMatching(/\.gif$/) }]);
    expect(m.preview_image_url).toMatch(/\/preview\.png$/);
  });

  it('mixes and counts: one GIF or video alone, photos up to 4', async () => {
    const photo = await upload(makePng(8, 8), 'tweet_image');
    const gif = await upload(makeGif(8, 8, 1), 'tweet_gif');
    s.clock.advance(5000);
    const mixed = await tweet({ text: text(), media: { media_ids: [photo, gif] } });
    expect(mixed.status).toBe(400);
    expect(messages(mixed.body)).toBe('A post may have up to 4 photos, or one video or animated GIF.');
    const five = await tweet({ text: text(), media: { media_ids: [photo, photo, photo, photo, photo] } });
    expect(five.status).toBe(400);
    const dup = await tweet({ text: text(), media: { media_ids: [photo, photo] } });
    expect(messages(dup.body)).toBe('Your media IDs are invalid.');
    const tagGif = await tweet({ text: text(), media: { media_ids: [gif], tagged_user_ids: [other.id] } });
    expect(messages(tagGif.body)).toBe('Users can only be tagged in photos.');
    const badTag = await tweet({ text: text(), media: { media_ids: [photo], tagged_user_ids: ['1'] } });
    expect(messages(badTag.body)).toBe('The `media.tagged_user_ids` value [1] is not valid');
    const noText = await tweet({ media: { media_ids: [photo] } });
    expect(noText.status).toBe(201);
  });

  it('owner or additional owners only; failed and expired media refused', async () => {
    const mine = await upload(makePng(9, 9), 'tweet_image');
    const theirs = await tweet({ text: text(), media: { media_ids: [mine] } }, other.token);
    expect(theirs.status).toBe(400);
    expect(messages(theirs.body)).toBe('Your media IDs are invalid.');
    const shared = await upload(makePng(10, 9), 'tweet_image', s.userToken, { additional_owners: other.id });
    expect((await tweet({ text: text(), media: { media_ids: [shared] } }, other.token)).status).toBe(201);
    const broken = await upload(Buffer.from('not a picture'), 'tweet_image');
    expect(messages((await tweet({ text: text(), media: { media_ids: [broken] } })).body)).toBe('Your media IDs are invalid.');
    const old = await upload(makePng(11, 9), 'tweet_image');
    s.clock.advance(86_400_000);
    expect(messages((await tweet({ text: text(), media: { media_ids: [old] } })).body)).toBe('Your media IDs are invalid.');
    const unknown = await tweet({ text: text(), media: { media_ids: ['99999999999'] } });
    expect(messages(unknown.body)).toBe('Your media IDs are invalid.');
  });

  it('previews: a PNG of the size for videos and GIFs, none for photos', async () => {
    const photo = await upload(makePng(20, 10), 'tweet_image');
    expect((await fetch(`${s.url}/media/3_${photo}/preview.png`)).status).toBe(404);
    const video = await upload(makeMp4({ width: 320, height: 240, durationMs: 1000 }), 'tweet_video');
    const gif = await upload(makeGif(48, 32, 2), 'tweet_gif');
    expect((await fetch(`${s.url}/media/7_${video}/preview.png`)).status).toBe(404);
    s.clock.advance(10_000);
    for (const [key, w, h] of [[`7_${video}`, 320, 240], [`16_${gif}`, 48, 32]] as const) {
      const r = await fetch(`${s.url}/media/${key}/preview.png`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await r.arrayBuffer());
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
    }
  });

  it('the bytes route answers 404 for unknown or unprocessed media, 416 for bad ranges', async () => {
    const missing = await fetch(`${s.url}/media/3_12345.png`);
    expect(missing.status).toBe(404);
    const init = await s.request('POST', '/2/media/upload/initialize', { token: s.userToken, body: { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 10 } });
    expect((await fetch(`${s.url}/media/${init.body.data.media_key}.mp4`)).status).toBe(404);
    const id = await upload(makePng(5, 5), 'tweet_image');
    const bad = await fetch(`${s.url}/media/3_${id}.png`, { headers: { range: 'bytes=99999-' } });
    expect(bad.status).toBe(416);
  });
});
