/**
 * Where `process.getBuiltinModule` is missing (browsers, Deno, Node < 20.16) streams decode lines with TextDecoder
 * over the fetch transport. Simulated by removing it in this test file's own worker before the SDK is first imported.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { drain } from './stream-helpers.js';

it('UTF-8 cut inside characters, keep-alives and bytes that are not UTF-8 decode as with node:buffer', async () => {
  delete (process as any).getBuiltinModule;
  const sdk = await import('../src/index.js');
  expect(sdk.nodeTransportAvailable()).toBe(false);
  const post = (text: string, id: string) => Buffer.from(`${JSON.stringify({ data: { id, text } })}\r\n`);
  const bad = Buffer.concat([Buffer.from('{"data":{"id":"9","text":"a'), Buffer.from([0xff, 0xe2, 0x9c]), Buffer.from('b"}}\r\n')]);
  const body = Buffer.concat([post('héllo 🐦 日本語', '1'), Buffer.from('\r\n'), post('plain', '2'), bad, post('✓ über', '3')]);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // one byte per write: every character and every \r\n cut
    let at = 0;
    const tick = () => {
      for (let n = 0; n < 16 && at < body.length; n++) res.write(body.subarray(at, ++at));
      if (at < body.length) setImmediate(tick);
      else res.end();
    };
    tick();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const c = new sdk.Client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bearerToken: 'T' });
    const { got, keepAlives } = await drain(await c.stream.posts({ reconnect: { enabled: false } }));
    expect(got).toEqual(['héllo 🐦 日本語', 'plain', 'a\ufffd\ufffdb', '✓ über']);
    expect(keepAlives).toBe(1);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
