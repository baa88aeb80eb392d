/**
 * Media metadata (alt text, sensitive-media warning), subtitles, lookups by key, analytics, and the v1.1
 * `upload.json` form with its own answer and error shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { form, makeMp4, makePng } from './media-fixtures.js';
import { otherUser } from './find.js';

const XDEV = '2244994945';
let s: TestServer;
let other: { id: string; token: string };
const messages = (b: { errors?: { message?: string; detail?: string }[] }) => (b.errors ?? []).map((e) => e.message ?? e.detail).join(' | ');
const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });
const upload = async (bytes: Buffer, category: string, extra: Record<string, string> = {}) => {
  const r = await post('/2/media/upload', form({ media_category: category, ...extra }, bytes));
  expect(r.status).toBe(200);
  return r.body.data as { id: string; media_key: string };
};
const vtt = Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n');
const srt = Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nBonjour\n');

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { user: 100_000, app: 100_000 } } });
  other = await otherUser(s);
});
afterAll(async () => {
  await s?.close();
});

describe('POST /2/media/metadata', () => {
  it('sets alt text and a sensitive-media warning; the lookup shows the alt text', async () => {
    const m = await upload(makePng(6, 6), 'tweet_image');
    const r = await post('/2/media/metadata', {
      id: m.id,
      metadata: { alt_text: { text: 'six by six' }, sensitive_media_warning: { adult_content: false, graphic_violence: true } },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      id: m.id,
      associated_metadata: { alt_text: { text: 'six by six' }, sensitive_media_warning: { adult_content: false, graphic_violence: true } },
    });
    const got = await s.get(`/2/media/${m.media_key}`, { token: s.userToken, query: { 'media.fields': 'alt_text,width' } });
    expect(got.body.data).toEqual({ media_key: m.media_key, type: 'photo', alt_text: 'six by six', width: 6 });
  });

  it('errors: alt text over 1,000 characters, bad warning keys, videos, other owners, unknown ids', async () => {
    const m = await upload(makePng(6, 7), 'tweet_image');
    const long = await post('/2/media/metadata', { id: m.id, metadata: { alt_text: { text: 'x'.repeat(1001) } } });
    expect(long.status).toBe(400);
    expect(messages(long.body)).toBe('$.metadata.alt_text.text: may only be 1000 characters long');
    const ok1000 = await post('/2/media/metadata', { id: m.id, metadata: { alt_text: { text: 'y'.repeat(1000) } } });
    expect(ok1000.status).toBe(200);
    const warn = await post('/2/media/metadata', { id: m.id, metadata: { sensitive_media_warning: { gore: true } } });
    expect(warn.status).toBe(400);
    const foreign = await post('/2/media/metadata', { id: m.id, metadata: { alt_text: { text: 'mine now' } } }, other.token);
    expect(messages(foreign.body)).toBe(`The \`id\` value [${m.id}] is not a valid media id.`);
    const unknown = await post('/2/media/metadata', { id: '424242', metadata: {} });
    expect(unknown.status).toBe(400);
    const noId = await post('/2/media/metadata', { metadata: {} });
    expect(messages(noId.body)).toBe('$.id: is missing but it is required');
    const video = await upload(makeMp4({ width: 64, height: 64, durationMs: 1000 }), 'tweet_video');
    const onVideo = await post('/2/media/metadata', { id: video.id, metadata: { alt_text: { text: 'a clip' } } });
    expect(messages(onVideo.body)).toBe('Alt text can only be set on images and animated GIFs.');
  });
});

describe('POST/DELETE /2/media/subtitles', () => {
  it('attaches subtitles per language, replaces, deletes', async () => {
    const video = await upload(makeMp4({ width: 64, height: 64, durationMs: 1000 }), 'amplify_video');
    const en = await upload(vtt, 'subtitles', { media_type: 'text/vtt' });
    const fr = await upload(srt, 'subtitles');
    const a = await post('/2/media/subtitles', { id: video.id, media_category: 'AmplifyVideo', subtitles: { id: en.id, language_code: 'EN', display_name: 'English' } });
    expect(a.status).toBe(200);
    expect(a.body.data).toEqual({ id: video.id, media_category: 'AmplifyVideo', associated_subtitles: { subtitles: [{ id: en.id, language_code: 'EN', display_name: 'English' }] } });
    const b = await post('/2/media/subtitles', { id: video.id, media_category: 'AmplifyVideo', subtitles: { id: fr.id, language_code: 'FR' } });
    expect(b.body.data.associated_subtitles.subtitles).toHaveLength(2);
    const del = await s.request('DELETE', '/2/media/subtitles', { token: s.userToken, body: { id: video.id, media_category: 'AmplifyVideo', language_code: 'EN' } });
    expect(del.status).toBe(200);
    expect(del.body.data).toEqual({ deleted: true });
    const again = await s.request('DELETE', '/2/media/subtitles', { token: s.userToken, body: { id: video.id, media_category: 'AmplifyVideo', language_code: 'EN' } });
    expect(again.body.data).toEqual({ deleted: false });
    expect((await s.handle.ctx.repos.mediaUploads.byId(video.id))!.subtitles).toEqual([{ id: fr.id, language_code: 'FR' }]);
  });

  it('errors: not a video, not subtitles, bad language code, bad category, missing fields', async () => {
    const video = await upload(makeMp4({ width: 64, height: 64, durationMs: 1000 }), 'tweet_video');
    const photo = await upload(makePng(4, 4), 'tweet_image');
    const en = await upload(vtt, 'subtitles');
    const notVideo = await post('/2/media/subtitles', { id: photo.id, media_category: 'TweetVideo', subtitles: { id: en.id, language_code: 'EN' } });
    expect(messages(notVideo.body)).toBe(`The media id [${photo.id}] is not a video.`);
    const notSubs = await post('/2/media/subtitles', { id: video.id, media_category: 'TweetVideo', subtitles: { id: photo.id, language_code: 'EN' } });
    expect(messages(notSubs.body)).toBe(`The media id [${photo.id}] is not a subtitles file.`);
    const lang = await post('/2/media/subtitles', { id: video.id, media_category: 'TweetVideo', subtitles: { id: en.id, language_code: 'english' } });
    expect(lang.status).toBe(400);
    expect(messages(lang.body)).toContain('$.subtitles.language_code');
    const cat = await post('/2/media/subtitles', { id: video.id, media_category: 'DmVideo', subtitles: { id: en.id, language_code: 'EN' } });
    expect(cat.status).toBe(400);
    const missing = await post('/2/media/subtitles', { id: video.id, media_category: 'TweetVideo' });
    expect(messages(missing.body)).toBe('$.subtitles.id: is missing but it is required');
    const badFile = await post('/2/media/upload', form({ media_category: 'subtitles' }, Buffer.from('no cues here')));
    expect(badFile.body.errors[0].detail).toBe('Unsupported subtitles format');
    const delMissing = await s.request('DELETE', '/2/media/subtitles', { token: s.userToken, body: { id: video.id } });
    expect(delMissing.status).toBe(400);
    // DeleteMediaSubtitlesRequest gives `id` no pattern: ids that are not ids, or beyond the 64-bit range, are 400s.
    for (const id of ['abc', '9999999999999999999', '99999999999999999999']) {
      const del = await s.request('DELETE', '/2/media/subtitles', { token: s.userToken, body: { id, media_category: 'TweetVideo', language_code: 'EN' } });
      expect(del.status).toBe(400);
      expect(messages(del.body)).toBe(`The \`id\` value [${id}] is not a valid media id.`);
    }
  });
});

describe('GET /2/media/{media_key}, GET /2/media, GET /2/media/analytics', () => {
  it('looks up seeded and uploaded media; unknown and unprocessed keys are not found', async () => {
    const seeded = await s.handle.ctx.store.db.selectFrom('media').select(['media_key', 'type']).limit(1).executeTakeFirstOrThrow();
    const m = await upload(makePng(7, 3), 'tweet_image');
    const init = await post('/2/media/upload/initialize', { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: 5 });
    const r = await s.get('/2/media', {
      token: s.bearer,
      query: { media_keys: `${seeded.media_key},${m.media_key},3_1,${init.body.data.media_key}`, 'media.fields': 'width,height,url' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.map((x: { media_key: string }) => x.media_key)).toEqual([seeded.media_key, m.media_key]);
    expect(r.body.data[1]).toEqual({ media_key: m.media_key, type: 'photo', width: 7, height: 3, url: expect.stringContaining(`/media/${m.media_key}.png`) });
    expect(r.body.errors.map((e: { resource_id: string }) => e.resource_id)).toEqual(['3_1', init.body.data.media_key]);
    expect(r.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'media', parameter: 'media_keys', detail: 'Could not find media with media_keys: [3_1].' });
    const one = await s.get('/2/media/3_1', { token: s.bearer });
    expect(one.status).toBe(200);
    expect(one.body.errors[0].detail).toBe('Could not find media with media_key: [3_1].');
    const bad = await s.get('/2/media/abc', { token: s.bearer });
    expect(bad.status).toBe(400);
    const tooMany = await s.get('/2/media', { token: s.bearer, query: { media_keys: Array.from({ length: 101 }, (_, i) => `3_${i + 1}`).join(',') } });
    expect(tooMany.status).toBe(400);
  });

  it('analytics of own media per bucket; others are not found', async () => {
    const mine = await upload(makeMp4({ width: 64, height: 64, durationMs: 1000 }), 'tweet_video');
    s.clock.advance(10_000);
    const theirs = (await s.request('POST', '/2/media/upload', { token: other.token, body: form({ media_category: 'tweet_image' }, makePng(3, 3)) })).body.data;
    const r = await s.get('/2/media/analytics', {
      token: s.userToken,
      query: { media_keys: `${mine.media_key},${theirs.media_key}`, start_time: '2026-11-01T00:00:00Z', end_time: '2026-11-03T00:00:00Z', granularity: 'daily' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(1);
    const a = r.body.data[0];
    expect(a.media_key).toBe(mine.media_key);
    expect(a.timestamped_metrics.map((t: { timestamp: string }) => t.timestamp)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
    expect(a.timestamped_metrics[0].metrics).toMatchObject({ video_views: 0, playback_start: 0, watch_time_ms: 0 });
    expect(r.body.errors[0].resource_id).toBe(theirs.media_key);
    const hourly = await s.get('/2/media/analytics', {
      token: s.userToken,
      query: { media_keys: mine.media_key, start_time: '2026-11-01T00:00:00Z', end_time: '2026-11-01T03:00:00Z', granularity: 'hourly', 'media_analytics.fields': 'video_views' },
    });
    expect(hourly.body.data[0].timestamped_metrics).toHaveLength(3);
    expect(hourly.body.data[0].timestamped_metrics[0].metrics).toEqual({ video_views: 0 });
    const backwards = await s.get('/2/media/analytics', { token: s.userToken, query: { media_keys: mine.media_key, start_time: '2026-11-02T00:00:00Z', end_time: '2026-11-01T00:00:00Z' } });
    expect(backwards.status).toBe(400);
    const noTimes = await s.get('/2/media/analytics', { token: s.userToken, query: { media_keys: mine.media_key } });
    expect(noTimes.status).toBe(400);
    const app = await s.get('/2/media/analytics', { token: s.bearer, query: { media_keys: mine.media_key, start_time: '2026-11-01T00:00:00Z', end_time: '2026-11-02T00:00:00Z' } });
    expect(app.status).toBe(403);
  });
});

describe('POST|GET /1.1/media/upload.json', () => {
  const v1 = (body: FormData | undefined, query?: Record<string, string>, token: string | null = s.userToken) =>
    s.request(body ? 'POST' : 'GET', '/1.1/media/upload.json', { token, body, query, raw: true });

  it('simple upload: media_id as an exact number, media_id_string, image', async () => {
    const png = makePng(9, 4);
    const r = await v1(form({}, png));
    expect(r.status).toBe(200);
    const id = r.body.media_id_string as string;
    expect(r.text).toContain(`"media_id":${id},`);
    expect(r.body).toMatchObject({ media_key: `3_${id}`, size: png.length, expires_after_secs: 86400, image: { image_type: 'image/png', w: 9, h: 4 } });
  });

  it('media_data (base64) in a form field', async () => {
    const png = makePng(5, 8);
    const r = await v1(form({ media_data: png.toString('base64') }));
    expect(r.status).toBe(200);
    expect(r.body.image).toEqual({ image_type: 'image/png', w: 5, h: 8 });
  });

  it('simple upload takes the INIT fields: additional_owners with spaces, shared', async () => {
    const rows = await s.handle.ctx.store.db.selectFrom('users').select('id').where('id', 'not in', [XDEV, other.id] as never).orderBy('id').limit(1).execute();
    const third = String(rows[0]!.id);
    const r = await v1(form({ additional_owners: `${other.id}, ${third}`, shared: 'true' }, makePng(7, 3)));
    expect(r.status).toBe(200);
    const id = r.body.media_id_string as string;
    const up = await s.handle.ctx.repos.mediaUploads.byId(id);
    expect(up?.additionalOwners).toEqual([other.id, third]);
    expect(up?.shared).toBe(true);
    const posted = await post('/2/tweets', { text: 'posted by an additional owner', media: { media_ids: [id] } }, other.token);
    expect(posted.status).toBe(201);
    const badType = await s.request('POST', '/1.1/media/upload.json', { token: s.userToken, body: { media_data: makePng(2, 2).toString('base64'), media_type: 5 }, raw: true });
    expect(badType.status).toBe(400);
    expect(badType.body).toEqual({ request: '/1.1/media/upload.json', error: 'The `media_type` value [5] is not valid' });
  });

  it('INIT / APPEND (204) / FINALIZE / STATUS with CamelCase categories', async () => {
    const mp4 = makeMp4({ width: 100, height: 100, durationMs: 1500 });
    const init = await v1(form({ command: 'INIT', total_bytes: mp4.length, media_type: 'video/mp4', media_category: 'TweetVideo' }));
    expect(init.status).toBe(200);
    const id = init.body.media_id_string;
    expect(init.body.media_key).toBe(`7_${id}`);
    const app = await v1(form({ command: 'APPEND', media_id: id, segment_index: 0 }, mp4));
    expect(app.status).toBe(204);
    const fin = await v1(form({ command: 'FINALIZE', media_id: id }));
    expect(fin.body.processing_info).toEqual({ state: 'pending', check_after_secs: 1 });
    s.clock.advance(10_000);
    const st = await v1(undefined, { command: 'STATUS', media_id: id });
    expect(st.status).toBe(200);
    expect(st.body.processing_info).toEqual({ state: 'succeeded', progress_percent: 100 });
    expect(st.body.video).toEqual({ video_type: 'video/mp4' });
  });

  it('failed processing carries X error object in processing_info', async () => {
    const junk = Buffer.alloc(5000, 1);
    const init = await v1(form({ command: 'INIT', total_bytes: junk.length, media_type: 'video/mp4' }));
    const id = init.body.media_id_string;
    await v1(form({ command: 'APPEND', media_id: id, segment_index: 0 }, junk));
    await v1(form({ command: 'FINALIZE', media_id: id }));
    s.clock.advance(10_000);
    const st = await v1(undefined, { command: 'STATUS', media_id: id });
    expect(st.body.processing_info).toEqual({ state: 'failed', progress_percent: 100, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });
  });

  it('v1.1 error shapes', async () => {
    const anon = await v1(form({}, makePng(2, 2)), undefined, null);
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ errors: [{ code: 32, message: 'Could not authenticate you.' }] });
    const missing = await v1(form({ command: 'FINALIZE' }));
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ request: '/1.1/media/upload.json', error: 'The `media_id` parameter can not be empty' });
    const short = await v1(form({ command: 'INIT', total_bytes: 10, media_type: 'image/png' }));
    const id = short.body.media_id_string;
    await v1(form({ command: 'APPEND', media_id: id, segment_index: 0 }, Buffer.alloc(4)));
    const fin = await v1(form({ command: 'FINALIZE', media_id: id }));
    expect(fin.body).toEqual({ request: '/1.1/media/upload.json', error: 'Segments do not add up to provided total file size.' });
    const noMedia = await v1(form({ media_category: 'tweet_image' }));
    expect(noMedia.body.error).toBe('media parameter is missing.');
    const bigId = await v1(form({ command: 'FINALIZE', media_id: '9999999999999999999' }));
    expect(bigId.status).toBe(400);
    expect(bigId.body).toEqual({ request: '/1.1/media/upload.json', error: 'The `media_id` value [9999999999999999999] is not valid' });
    const badCmd = await v1(form({ command: 'RESET' }));
    expect(badCmd.status).toBe(400);
  });

  it('multipart bodies are refused outside media routes', async () => {
    const r = await s.request('POST', '/2/tweets', { token: s.userToken, body: form({ text: 'hi' }) });
    expect(r.status).toBe(400);
    expect(messages(r.body)).toBe('The Content-Type of the request body is not supported.');
  });
});

describe('rate limits and metering of media operations (FACTS §4.2, §4.3)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("X's per-user limits; uploads are free, metadata is a $0.005 manage write", async () => {
    const cost = { 'x-roost-cost': '1' };
    const up = await t.request('POST', '/2/media/upload', { token: t.userToken, headers: cost, body: form({ media_category: 'tweet_image' }, makePng(3, 3)) });
    expect(up.headers.get('x-rate-limit-limit')).toBe('500');
    expect(up.headers.get('x-roost-cost-usd')).toBe('0.000000');
    const init = await t.request('POST', '/2/media/upload/initialize', { token: t.userToken, headers: cost, body: { media_type: 'image/png', media_category: 'tweet_image', total_bytes: 3 } });
    expect(init.headers.get('x-rate-limit-limit')).toBe('1875');
    expect(init.headers.get('x-roost-cost-usd')).toBe('0.000000');
    const st = await t.get('/2/media/upload', { token: t.userToken, query: { command: 'STATUS', media_id: up.body.data.id } });
    expect(st.headers.get('x-rate-limit-limit')).toBe('1000');
    const md = await t.request('POST', '/2/media/metadata', { token: t.userToken, headers: cost, body: { id: up.body.data.id, metadata: { alt_text: { text: 'tiny' } } } });
    expect(md.headers.get('x-rate-limit-limit')).toBe('500');
    expect(md.headers.get('x-roost-cost-usd')).toBe('0.005000');
    const v1 = await t.request('POST', '/1.1/media/upload.json', { token: t.userToken, headers: cost, body: form({}, makePng(2, 2)), raw: true });
    expect(v1.headers.get('x-rate-limit-limit')).toBe('500');
    expect(v1.headers.get('x-roost-cost-usd')).toBe('0.000000');
  });
});
