/**
 * The second way of README's "Point your client at Roost": Roost's plain URL given to the client in code, for
 * setups where the environment cannot be changed. The snippets are README's: xdk's `baseUrl`, twitter-api-v2's
 * origin-rewriting plugin with an `http.Agent`, tweepy's `requests` patch. Each makes a lookup and an OAuth 1.0a
 * signed write (the signature covers the URL actually sent), over plain HTTP.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, OAuth1 } from '@xdevplatform/xdk';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { postExists, startRoost, SYSTEM_PYTHON, tweepyStatus, XDEVELOPERS, type Roost } from '../src/index.js';

let roost: Roost;
beforeAll(async () => {
  roost = await startRoost(inject('roostTemplate'));
});
afterAll(async () => {
  await roost?.stop();
});

describe('explicit base URL', () => {
  it('xdk: new Client({ baseUrl })', async () => {
    const app = new Client({ baseUrl: roost.url, bearerToken: roost.bearer });
    expect((await app.users.getByUsername(XDEVELOPERS.username)).data!.id).toBe(XDEVELOPERS.id);
    const oauth1 = new OAuth1({ apiKey: roost.consumerKey, apiSecret: roost.consumerSecret, callback: 'oob', accessToken: roost.oauth1.token, accessTokenSecret: roost.oauth1.secret });
    const user = new Client({ baseUrl: roost.url, oauth1 });
    const post = await user.posts.create({ text: 'xdk with an explicit base URL' });
    expect(await postExists(roost, post.data!.id)).toBe(true);
  });

  it('twitter-api-v2: a plugin rewriting X origins, and an http.Agent', async () => {
    const BASE = roost.url;
    const toRoost = (params: { url: string; forceBodyMode?: string; forceParseMode?: string }) => {
      const u = new URL(params.url);
      if (!/(^|\.)(x|twitter)\.com$/.test(u.hostname)) return;
      if (u.hostname === 'upload.x.com' && u.pathname === '/1.1/media/upload.json') params.forceBodyMode ??= 'form-data';
      if (u.hostname === 'api.x.com' && u.pathname.startsWith('/oauth/')) params.forceParseMode ??= 'url';
      params.url = BASE + u.pathname + u.search;
    };
    const plugin: ITwitterApiClientPlugin = {
      onBeforeRequestConfig: ({ params }) => toRoost(params as never),
      onBeforeStreamRequestConfig: ({ params }) => toRoost(params as never),
    };
    const settings = { plugins: [plugin], httpAgent: new http.Agent() };
    const app = new TwitterApi(roost.bearer, settings);
    expect((await app.v2.userByUsername(XDEVELOPERS.username)).data.id).toBe(XDEVELOPERS.id);
    const user = new TwitterApi({ appKey: roost.consumerKey, appSecret: roost.consumerSecret, accessToken: roost.oauth1.token, accessSecret: roost.oauth1.secret }, settings);
    const post = await user.v2.tweet('twitter-api-v2 with an explicit base URL');
    expect(await postExists(roost, post.data.id)).toBe(true);
  });

  const tweepy = tweepyStatus();
  it.runIf(tweepy.ok || process.env.CI === 'true')('tweepy: requests.Session.request rewrites X origins', async () => {
    const script = `
import json, os, re, requests.sessions
BASE = os.environ["BASE"]
_send = requests.sessions.Session.request
requests.sessions.Session.request = lambda self, method, url, *a, **kw: _send(
    self, method, re.sub(r"^https://(api|upload|stream)\\.(twitter|x)\\.com(?=/|$)", BASE, url), *a, **kw)
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
import tweepy
user = tweepy.Client(bearer_token=os.environ["BEARER"]).get_user(username="XDevelopers").data
signed = tweepy.Client(consumer_key=os.environ["CK"], consumer_secret=os.environ["CS"],
                       access_token=os.environ["AT"], access_token_secret=os.environ["AS"])
post = signed.create_tweet(text="tweepy with an explicit base URL").data
print(json.dumps({"user": str(user.id), "post": post["id"]}))
`;
    // Without zero-change mode's settings: this way needs none.
    const env: NodeJS.ProcessEnv = { ...process.env, BASE: roost.url, BEARER: roost.bearer, CK: roost.consumerKey, CS: roost.consumerSecret, AT: roost.oauth1.token, AS: roost.oauth1.secret };
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE']) delete env[k];
    const out = await new Promise<string>((resolve, reject) => {
      const py = spawn(SYSTEM_PYTHON, ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      py.stdout.on('data', (d) => (stdout += d));
      py.stderr.on('data', (d) => (stderr += d));
      py.on('error', reject);
      py.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`tweepy exited ${code}: ${stderr}`))));
    });
    const r = JSON.parse(out) as { user: string; post: string };
    expect(r.user).toBe(XDEVELOPERS.id);
    expect(await postExists(roost, r.post)).toBe(true);
  });
});
