import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildConfig, startServer } from '@roost/server';

describe('logging', () => {
  it('logs each request at debug level with the request id sent back as x-transaction-id; 500s never leak internals', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
        cb();
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'roost-log-'));
    const h = await startServer(buildConfig({}, { dbUrl: join(dir, 'r.db'), seed: null, logLevel: 'debug' }), {
      log: pino({ level: 'debug' }, sink),
      listen: false,
    });
    try {
      const res = await h.app.inject({ method: 'GET', url: '/2/users/2244994945', headers: { authorization: `Bearer ${h.boot.bearerToken}` } });
      expect(res.statusCode).toBe(200);
      const rid = res.headers['x-transaction-id'];
      const line = lines.find((l) => l.msg === 'request' && l.reqId === rid);
      expect(line).toMatchObject({ method: 'GET', url: '/2/users/2244994945', status: 200 });

      // A failure inside a handler: X's generic 500 body, the error only in the log.
      h.ctx.repos.users.byIds = async () => {
        throw new Error('secret database detail');
      };
      const boom = await h.app.inject({ method: 'GET', url: '/2/users/2244994945', headers: { authorization: `Bearer ${h.boot.bearerToken}` } });
      expect(boom.statusCode).toBe(500);
      expect(boom.json()).toEqual({ title: 'Internal Server Error', type: 'about:blank', status: 500, detail: 'Internal Server Error' });
      expect(boom.body).not.toContain('secret');
      expect(lines.some((l) => l.level === 50 && l.reqId === boom.headers['x-transaction-id'])).toBe(true);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
