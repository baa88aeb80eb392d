/**
 * The server side of bench/sdk.ts, in its own process (so client CPU is measured alone). Serves:
 * - GET /2/users/by/username/:name — one fixed X user-lookup body;
 * - GET /2/tweets/search/stream — STREAM_EVENTS posts as `\r\n`-delimited JSON (a third with non-ASCII text, a
 *   keep-alive `\r\n` every 1000 posts), then ends. On the first port the body is written in 64 KiB (+1) HTTP
 *   chunks, so multi-byte characters straddle chunk boundaries; on the second ("per post") each post is its own
 *   HTTP chunk, as X and Roost write them, and every ninth post is written as two chunks cut inside a multi-byte
 *   character;
 * - GET /2/users/:id/followers — FOLLOWERS users in pages of 1000 (`pagination_token` = offset).
 * Prints `{"url", "perPostUrl"}` once both listen; exits when stdin closes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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


/** The stream as writes: per post (some cut inside a character), keep-alives on their own. */
function streamWrites(): Buffer[] {
  const writes: Buffer[] = [];
  for (let i = 0; i < STREAM_EVENTS; i++) {
    if (i % 1000 === 0) writes.push(Buffer.from('\r\n'));
    const post = Buffer.from(JSON.stringify({
      data: { id: String(1_800_000_000_000_000_000n + BigInt(i)), text: streamText(i), author_id: '2244994945', edit_history_tweet_ids: [String(i)] },
      matching_rules: [{ id: '1', tag: 'bench' }],
    }) + '\r\n', 'utf8');
    if (i % 9 === 0) {
      // cut after the lead byte of the first multi-byte character
      const cut = post.findIndex((b) => b >= 0xc0) + 1;
      if (cut <= 0) throw new Error(`post ${i} has no multi-byte character`);
      writes.push(post.subarray(0, cut), post.subarray(cut));
    } else writes.push(post);
  }
  return writes;
}

let writes: Buffer[] | undefined;
let payload: Buffer | undefined;
const userBody = Buffer.from(USER_BODY);

/** Writes `parts` in order, honouring back-pressure, then ends. */
function pump(res: ServerResponse, parts: Buffer[]): void {
  let at = 0;
  const more = () => {
    while (at < parts.length) {
      if (!res.write(parts[at++])) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

function handler(perPost: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname.startsWith('/2/users/by/username/')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': userBody.length, 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '899', 'x-rate-limit-reset': '1800000000' });
      res.end(userBody);
    } else if (url.pathname === '/2/tweets/search/stream') {
      writes ??= streamWrites();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      if (perPost) return pump(res, writes);
      payload ??= Buffer.concat(writes);
      const CHUNK = 65_536 + 1; // odd size: multi-byte characters straddle chunks
      const chunks: Buffer[] = [];
      for (let at = 0; at < payload.length; at += CHUNK) chunks.push(payload.subarray(at, at + CHUNK));
      pump(res, chunks);
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
  };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) => {
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
const servers = [createServer(handler(false)), createServer(handler(true))];
const [url, perPostUrl] = await Promise.all(servers.map(listen));
process.stdout.write(`${JSON.stringify({ url, perPostUrl })}\n`);
const stop = () => {
  let open = servers.length;
  for (const s of servers) {
    s.close(() => --open === 0 && process.exit(0));
    s.closeAllConnections();
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
