/**
 * The baseline: a bare node:http server answering every request with one fixed JSON body (read from the
 * file named by argv[2], so its size matches the Roost response under test). It runs in its own process,
 * like Roost, so the ratio compares servers rather than two halves of one event loop.
 * Prints `{"url": ...}` on stdout once listening; exits on SIGTERM, SIGINT or when stdin closes.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: baseline-server.ts <body.json>');
const body = readFileSync(file);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('baseline: no address');
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it goes away, so do we.
process.stdin.on('end', stop).resume();
