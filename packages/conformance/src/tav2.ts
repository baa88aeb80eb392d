/**
 * twitter-api-v2 1.29.1 pointed at Roost through its own extension points (REAL-CLIENTS.md §1.2): a plugin that
 * rewrites the hard-coded https://api.x.com / upload.x.com / stream.x.com origin before the request is signed,
 * and an `http.Agent` because the library always calls `https.request`. The library decides two things from
 * the hard-coded host, which the plugin keeps as they would be on X: `/oauth/*` answers are form-encoded, and
 * v1.1 media uploads are multipart.
 */
import http from 'node:http';
import { TwitterApi, type IClientSettings, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { Roost } from './roost.js';

const X_HOSTS = /(^|\.)(x|twitter)\.com$/;

export function rewritePlugin(base: string): ITwitterApiClientPlugin {
  const fix = (params: { url: string; forceParseMode?: string; forceBodyMode?: string }) => {
    const u = new URL(params.url);
    if (!X_HOSTS.test(u.hostname)) return;
    if (u.hostname === 'upload.x.com' && u.pathname === '/1.1/media/upload.json') params.forceBodyMode ??= 'form-data';
    if (u.hostname === 'api.x.com' && u.pathname.startsWith('/oauth/')) params.forceParseMode ??= 'url';
    params.url = base + u.pathname + u.search;
  };
  return {
    onBeforeRequestConfig: ({ params }) => fix(params as never),
    onBeforeStreamRequestConfig: ({ params }) => fix(params as never),
  };
}

/** Client settings for a TwitterApi talking to Roost at `base` (http://127.0.0.1:PORT). */
export function settingsFor(base: string): Partial<IClientSettings> {
  return { plugins: [rewritePlugin(base)], httpAgent: new http.Agent({ keepAlive: false }) };
}

/** A TwitterApi signing with the OAuth 1.0a access token of @XDevelopers that Roost's CLI printed. */
export function oauth1TwitterApi(roost: Roost): TwitterApi {
  return new TwitterApi(
    { appKey: roost.consumerKey, appSecret: roost.consumerSecret, accessToken: roost.oauth1.token, accessSecret: roost.oauth1.secret },
    settingsFor(roost.url),
  );
}
