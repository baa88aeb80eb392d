/**
 * Media on PostgreSQL: migration 007's tables, segment upserts (retries), finalize, the Media row, a post with
 * it and the lookup, metadata and subtitles updates — the SQL paths that differ by dialect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, startTestServer, type PostgresServer, type TestServer } from '@roost/dev-env';
import { form, makeMp4, makePng } from './media-fixtures.js';

const available = postgresAvailable();
if (!available && process.env.CI) throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

let pg: PostgresServer;
let s: TestServer;

describe.skipIf(!available)('media on PostgreSQL', () => {
  beforeAll(async () => {
    pg = await startPostgres();
    s = await startTestServer({ dbUrl: pg.url, users: 60, posts: 300, limits: { '*': { user: 100_000, app: 100_000 } } });
  });
  afterAll(async () => {
    await s?.close();
    await pg?.stop();
  });

  it('chunked upload with a retried segment, a post with it, lookup, metadata, subtitles', async () => {
    const mp4 = makeMp4({ width: 200, height: 100, durationMs: 4000, totalBytes: 90_000 });
    const init = await s.request('POST', '/2/media/upload/initialize', { token: s.userToken, body: { media_type: 'video/mp4', media_category: 'tweet_video', total_bytes: mp4.length } });
    const id = init.body.data.id;
    const half = 45_000;
    await s.request('POST', `/2/media/upload/${id}/append`, { token: s.userToken, body: form({ segment_index: 1 }, mp4.subarray(half)) });
    await s.request('POST', `/2/media/upload/${id}/append`, { token: s.userToken, body: form({ segment_index: 0 }, Buffer.alloc(half)) });
    await s.request('POST', `/2/media/upload/${id}/append`, { token: s.userToken, body: form({ segment_index: 0 }, mp4.subarray(0, half)) });
    const fin = await s.request('POST', `/2/media/upload/${id}/finalize`, { token: s.userToken });
    expect(fin.body.data.processing_info.state).toBe('pending');
    s.clock.advance(10_000);
    const st = await s.get('/2/media/upload', { token: s.userToken, query: { command: 'STATUS', media_id: id } });
    expect(st.body.data.processing_info.state).toBe('succeeded');

    const post = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'video on pg', media: { media_ids: [id] } } });
    expect(post.status).toBe(201);
    const got = await s.get(`/2/tweets/${post.body.data.id}`, { token: s.userToken, query: { expansions: 'attachments.media_keys', 'media.fields': 'duration_ms,width,height,variants' } });
    expect(got.body.includes.media[0]).toMatchObject({ media_key: `7_${id}`, type: 'video', duration_ms: 4000, width: 200, height: 100 });

    const photo = (await s.request('POST', '/2/media/upload', { token: s.userToken, body: form({ media_category: 'tweet_image' }, makePng(4, 5)) })).body.data;
    const md = await s.request('POST', '/2/media/metadata', { token: s.userToken, body: { id: photo.id, metadata: { alt_text: { text: 'on pg' } } } });
    expect(md.status).toBe(200);
    const look = await s.get(`/2/media/${photo.media_key}`, { token: s.userToken, query: { 'media.fields': 'alt_text' } });
    expect(look.body.data.alt_text).toBe('on pg');

    const subs = (await s.request('POST', '/2/media/upload', { token: s.userToken, body: form({ media_category: 'subtitles' }, Buffer.from('WEBVTT\n\n')) })).body.data;
    const sub = await s.request('POST', '/2/media/subtitles', { token: s.userToken, body: { id, media_category: 'TweetVideo', subtitles: { id: subs.id, language_code: 'EN' } } });
    expect(sub.status).toBe(200);
    expect((await s.handle.ctx.repos.mediaUploads.byId(id))!.subtitles).toEqual([{ id: subs.id, language_code: 'EN' }]);
  });
});
