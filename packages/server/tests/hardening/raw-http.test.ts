/**
 * Issue 15, finding 6: Fastify's own bodies leaked for an over-long path parameter (414 FST_ERR_MAX_PARAM_LENGTH),
 * an unknown method, a NUL in a header and Content-Length with Transfer-Encoding; CONNECT closed with no answer.
 * Each now gets an X-shaped JSON answer.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';

const s = serverPerFile({ seed: null });
const port = () => Number(new URL(s.url).port);

/** Sends raw bytes and resolves with the status and parsed JSON body of the answer. */
function raw(bytes: string): Promise<{ status: number; body: any; head: string }> {
  return new Promise((resolve, reject) => {
    const c = connect(port(), '127.0.0.1', () => c.write(Buffer.from(bytes, 'latin1')));
    let got = '';
    c.on('data', (d) => (got += d.toString('latin1')));
    c.on('error', reject);
    c.on('close', () => {
      const [head, ...rest] = got.split('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head ?? '');
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(got)}`));
      let body: unknown;
      try {
        body = JSON.parse(rest.join('\r\n\r\n'));
      } catch {
        return reject(new Error(`not JSON: ${JSON.stringify(got)}`));
      }
      resolve({ status: Number(m[1]), body, head: head! });
    });
    setTimeout(() => c.destroy(), 5000);
  });
}

const isX = (b: any) => (typeof b.title === 'string' && typeof b.type === 'string') || Array.isArray(b.errors);

describe('answers outside the routes', () => {
  it('an over-long id gets X\'s 400 for the parameter', async () => {
    const r = await raw(`GET /2/users/${'1'.repeat(600)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.bearer}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe(`The \`id\` query parameter value [${'1'.repeat(600)}] is not valid`);
  });

  it('a path parameter past any length gets an X 400, not Fastify\'s 414', async () => {
    const r = await raw(`GET /2/users/${'1'.repeat(3000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('https://api.twitter.com/2/problems/invalid-request');
    expect(JSON.stringify(r.body)).not.toContain('FST_');
  });

  it('an unknown method is an unknown route', async () => {
    const r = await raw('FOO /2/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
  });

  it('a NUL in a header and Content-Length with Transfer-Encoding are invalid requests', async () => {
    for (const bytes of [
      'GET /2/users/me HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n',
      'POST /2/tweets HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    ]) {
      const r = await raw(bytes);
      expect(r.status).toBe(400);
      expect(r.body.title).toBe('Invalid Request');
      expect(isX(r.body)).toBe(true);
    }
  });

  it('CONNECT gets an answer before the close', async () => {
    const r = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(r.status).toBe(404);
    expect(isX(r.body)).toBe(true);
  });

  it('oversized headers get a JSON 431', async () => {
    const r = await raw(`GET /2/users/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(isX(r.body)).toBe(true);
  });
});
