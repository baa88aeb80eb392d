/**
 * The real clients' upload code against Roost, unchanged: the official SDK (@xdevplatform/xdk, JSON with
 * base64 segments) and twitter-api-v2 (v2 chunked multipart, and the v1.1 `upload.json` multipart flow), then
 * a post with what they uploaded.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@xdevplatform/xdk';
import { TwitterApi } from 'twitter-api-v2';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { createApp, XDEVELOPERS_ID } from '@roost/server';
import { mintOAuth1AccessToken } from '../../src/auth/oauth1.js';
import { makeGif, makeMp4, makePng } from './media-fixtures.js';

let s: TestServer;

/**
 * Runs an upload while the server's clock moves on a second every 50 ms (bounded): the libraries sleep
 * check_after_secs between status polls, so processing must finish on the server clock meanwhile.
 */
async function withClockMoving<T>(server: TestServer, upload: () => Promise<T>): Promise<T> {
  let uploading = true;
  const poll = (async () => {
    for (let i = 0; i < 200 && uploading; i++) {
      await new Promise((r) => setTimeout(r, 50));
      server.clock.advance(1000);
    }
  })();
  try {
    return await upload();
  } finally {
    uploading = false;
    await poll;
  }
}

/** twitter-api-v2 has no base-URL option: a plugin sends its requests to Roost (REAL-CLIENTS.md §1.2). */
function tav2(token: string | { appKey: string; appSecret: string; accessToken: string; accessSecret: string }, srv: () => TestServer = () => s): TwitterApi {
  const fix = ({ params }: { params: { url: string; forceBodyMode?: string } }) => {
    const u = new URL(params.url);
    if (u.pathname === '/1.1/media/upload.json') params.forceBodyMode ??= 'form-data';
    params.url = srv().url + u.pathname + u.search;
  };
  const settings = { plugins: [{ onBeforeRequestConfig: fix as never, onBeforeStreamRequestConfig: fix as never }], httpAgent: new http.Agent() };
  return typeof token === 'string' ? new TwitterApi(token, settings) : new TwitterApi(token, settings);
}

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { user: 100_000, app: 100_000 } } });
});
afterAll(async () => {
  await s?.close();
});

describe('@xdevplatform/xdk (JSON, base64)', () => {
  it('one-shot upload of a PNG, then a post with it', async () => {
    const client = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const png = makePng(20, 10);
    const r = await client.media.upload({ media: png.toString('base64'), mediaCategory: 'tweet_image' });
    // xdk hands responses back in camelCase.
    expect(r.data?.image).toEqual({ imageType: 'image/png', w: 20, h: 10 });
    const post = await client.posts.create({ text: 'from the official SDK', media: { mediaIds: [r.data!.id] } } as never);
    expect((post as { data?: { id?: string } }).data?.id).toMatch(/^\d+$/);
  });

  it('chunked: initialize, append base64 segments, finalize, poll status', async () => {
    const client = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const gif = makeGif(30, 30, 3);
    const init = await client.media.initializeUpload({ mediaType: 'image/gif', mediaCategory: 'tweet_gif', totalBytes: gif.length } as never);
    const id = init.data!.id;
    const half = Math.ceil(gif.length / 2);
    await client.media.appendUpload(id, { media: gif.subarray(0, half).toString('base64'), segmentIndex: 0 } as never);
    await client.media.appendUpload(id, { media: gif.subarray(half).toString('base64'), segmentIndex: 1 } as never);
    const fin = await client.media.finalizeUpload(id);
    expect(fin.data?.processingInfo?.state).toBe('pending');
    s.clock.advance(5000);
    const st = await client.media.getUploadStatus(id, { command: 'STATUS' });
    expect(st.data?.processingInfo?.state).toBe('succeeded');
  });
});

describe('twitter-api-v2', () => {
  it('v2.uploadMedia: chunked multipart, finalize, status polling', async () => {
    const client = tav2(s.userToken);
    const mp4 = makeMp4({ width: 320, height: 240, durationMs: 2000, totalBytes: 2_500_000 });
    const id = await withClockMoving(s, () => client.v2.uploadMedia(mp4, { media_type: 'video/mp4', media_category: 'tweet_video' }));
    expect(id).toMatch(/^\d+$/);
    const up = await s.handle.ctx.repos.mediaUploads.byId(id);
    expect(up?.probe).toMatchObject({ width: 320, height: 240, durationMs: 2000 });
  }, 60_000);

  it('v1.uploadMedia: upload.json multipart INIT/APPEND/FINALIZE with media_id_string', async () => {
    const client = tav2(s.userToken);
    const png = makePng(40, 40);
    const id = await client.v1.uploadMedia(png, { mimeType: 'image/png' });
    expect(id).toMatch(/^\d+$/);
    const post = await client.v2.tweet({ text: 'from twitter-api-v2', media: { media_ids: [id] } });
    expect(post.data.id).toMatch(/^\d+$/);
  });
});

describe('twitter-api-v2 with OAuth 1.0a (user context as most bots use it)', () => {
  let o: TestServer;
  let client: TwitterApi;
  beforeAll(async () => {
    // OAuth 1.0a timestamps must be within 300 s of the server clock: this server's clock starts at the wall time.
    o = await startTestServer({ now: Date.now(), limits: { '*': { user: 100_000, app: 100_000 } } });
    const app = await createApp(o.handle.ctx, { name: 'media bot', ownerUserId: XDEVELOPERS_ID });
    const t = await mintOAuth1AccessToken(o.handle.ctx, { appId: app.id, userId: XDEVELOPERS_ID, permission: 'read-write' });
    client = tav2({ appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: t.token, accessSecret: t.secret }, () => o);
  });
  afterAll(async () => {
    await o?.close();
  });

  it('v1.uploadMedia of an image and of a video (chunked, polled), then a post with both kinds', async () => {
    const photo = await client.v1.uploadMedia(makePng(16, 9), { mimeType: 'image/png' });
    const video = await withClockMoving(o, () =>
      client.v1.uploadMedia(makeMp4({ width: 160, height: 90, durationMs: 1000, totalBytes: 1_500_000 }), { mimeType: 'video/mp4', target: 'tweet' }),
    );
    const a = await client.v2.tweet({ text: 'photo by oauth1', media: { media_ids: [photo] } });
    const b = await client.v2.tweet({ text: 'video by oauth1', media: { media_ids: [video] } });
    expect(a.data.id).toMatch(/^\d+$/);
    expect(b.data.id).toMatch(/^\d+$/);
  }, 60_000);
});
