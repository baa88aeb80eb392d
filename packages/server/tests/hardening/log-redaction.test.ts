/**
 * Issue 15, finding 6: debug logs carried client_secret, code, code_verifier, refresh_token and tokens sent in
 * query strings. They are redacted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildConfig, startServer } from '@roost/server';
import { REDACTED, redactUrl } from '../../src/util/redact.js';
import { createLogger } from '../../src/context.js';

describe('log redaction', () => {
  it('replaces secret query values and keeps the rest', () => {
    expect(redactUrl('/2/oauth2/token?grant_type=authorization_code&code=abc&code_verifier=v%20w&client_id=c&client_secret=s')).toBe(
      `/2/oauth2/token?grant_type=authorization_code&code=${REDACTED}&code_verifier=${REDACTED}&client_id=c&client_secret=${REDACTED}`,
    );
    expect(redactUrl('/2/users/me?Access_Token=t&user.fields=id')).toBe(`/2/users/me?Access_Token=${REDACTED}&user.fields=id`);
    expect(redactUrl('/2/users/me')).toBe('/2/users/me');
  });

  it('keeps secrets out of debug request lines and logged objects', async () => {
    const text: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        text.push(String(chunk));
        cb();
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'roost-redact-'));
    const h = await startServer(buildConfig({}, { dbUrl: join(dir, 'r.db'), seed: null, logLevel: 'debug' }), {
      log: createLogger('debug', sink),
      listen: false,
    });
    const secrets = ['SECRETCODE123', 'SECRETVERIFIER456', 'SECRETCLIENT789', 'SECRETREFRESH000', 'SECRETTOKEN111'];
    try {
      await h.app.inject({
        method: 'POST',
        url: `/2/oauth2/token?grant_type=authorization_code&code=${secrets[0]}&code_verifier=${secrets[1]}&client_id=x&client_secret=${secrets[2]}`,
      });
      await h.app.inject({ method: 'POST', url: `/2/oauth2/token?grant_type=refresh_token&refresh_token=${secrets[3]}&client_id=x` });
      await h.app.inject({ method: 'GET', url: `/2/users/me?access_token=${secrets[4]}` });
      h.ctx.log.debug({ body: { client_secret: secrets[2] }, headers: { authorization: `Bearer ${secrets[4]}` } }, 'object with secrets');
      const all = text.join('');
      expect(all).toContain('/2/oauth2/token');
      expect(all).toContain('object with secrets');
      for (const secret of secrets) expect(all).not.toContain(secret);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
