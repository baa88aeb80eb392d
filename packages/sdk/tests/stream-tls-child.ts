/**
 * Run by stream-tls.test.ts in a child process whose NODE_EXTRA_CA_CERTS trusts the test's throwaway CA (Node reads
 * that variable at startup only): reads the stream at argv[2] with the default transport and prints what arrived.
 */
import { Client } from '../src/index.js';

const s = await new Client({ baseUrl: process.argv[2], bearerToken: 'T' }).stream.posts({ reconnect: { enabled: false } });
const texts: string[] = [];
for await (const ev of s) texts.push(ev.data.text);
process.stdout.write(JSON.stringify({ texts }));
