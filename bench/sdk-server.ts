/**
 * The server side of bench/sdk.ts, in its own process (so client CPU is measured alone). Serves:
 * - GET /2/users/by/username/:name — one fixed X user-lookup body;
 * - GET /2/tweets/search/stream — STREAM_EVENTS posts as `\r\n`-delimited JSON (a third with non-ASCII text,
 *   written in 64 KiB chunks so multi-byte characters straddle chunk boundaries), then ends;
 * - GET /2/users/:id/followers — FOLLOWERS users in pages of 1000 (`pagination_token` = offset).
 * Prints `{"url"}` once listening; exits when stdin closes.
 */
import { createServer } from 'node:http';
import { streamText } from './sdk-fixtures.js';

const STREAM_EVENTS = Number(process.env.STREAM_EVENTS ?? 200_000);
const FOLLOWERS = Number(process.env.FOLLOWERS ?? 100_000);

const USER_BODY = JSON.stringify({
  data: {
    id: '2244994945', name: 'X Developers', username: 'XDevelopers', created_at: '2013-12-14T04:35:55.000Z',
    description: 'The voice of the X Developer Platform', verified: true, protected: false,
    public_metrics: { followers_count: 583000, following_count: 2100, tweet_count: 4000, listed_count: 1800, like_count: 2200 },
    profile_image_url: 'https://pbs.twimg.com/profile_images/1/xdev_normal.jpg', location: '127.0.0.1',
  },
});


function streamPayload(): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < STREAM_EVENTS; i++) {
    if (i % 1000 === 0) parts.push('\r\n');
    parts.push(JSON.stringify({
      data: { id: String(1_800_000_000_000_000_000n + BigInt(i)), text: streamText(i), author_id: '2244994945', edit_history_tweet_ids: [String(i)] },
      matching_rules: [{ id: '1', tag: 'bench' }],
    }) + '\r\n');
  }
  return Buffer.from(parts.join(''), 'utf8');
}

let payload: Buffer | undefined;
const userBody = Buffer.from(USER_BODY);

const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname.startsWith('/2/users/by/username/')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': userBody.length, 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '899', 'x-rate-limit-reset': '1800000000' });
    res.end(userBody);
  } else if (url.pathname === '/2/tweets/search/stream') {
    payload ??= streamPayload();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    let at = 0;
    const CHUNK = 65_536 + 1; // odd size: multi-byte characters straddle chunks
    const pump = () => {
      while (at < payload!.length) {
        const ok = res.write(payload!.subarray(at, at + CHUNK));
        at += CHUNK;
        if (!ok) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  } else if (/^\/2\/users\/\d+\/followers$/.test(url.pathname)) {
    const from = Number(url.searchParams.get('pagination_token') ?? 0);
    const n = Math.min(Number(url.searchParams.get('max_results') ?? 100), 1000, FOLLOWERS - from);
    const data = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return { id: String(1_000_000 + i), name: `Follower ${i}`, username: `follower_${i}`, created_at: '2020-01-01T00:00:00.000Z', description: 'x'.repeat(60) };
    });
    const meta: Record<string, unknown> = { result_count: n };
    if (from + n < FOLLOWERS) meta.next_token = String(from + n);
    const body = JSON.stringify({ data, meta });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"title":"Not Found Error","type":"about:blank","status":404,"detail":"no"}');
  }
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
