/** GET /2/openapi.json: a valid OpenAPI 3 document of exactly the operations this server implements. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { operation as describe_, operations as contractOperations } from '@roost/contract';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { operations } from '../../src/api/index.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: null });
});
afterAll(async () => {
  await s?.close();
});

describe('getOpenApiSpec', () => {
  it('validates as OpenAPI 3, lists only implemented operations, and points its servers at this Roost', async () => {
    const r = await s.request('GET', '/2/openapi.json', { token: null, raw: true });
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.servers).toEqual([{ url: s.url, description: 'This Roost' }]);
    // A structuredClone: the validator dereferences in place.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();

    const served = new Set<string>();
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        served.add(op.operationId);
        expect(path.startsWith('/'), `${method} ${path}`).toBe(true);
      }
    }
    expect([...served].sort()).toEqual(operations.map((o) => o.operationId as string).sort());
    // An operation of the contract that this Roost does not implement (yet) is not in the document.
    const notServed = contractOperations.find((o) => !operations.some((x) => x.operationId === o.operationId));
    if (notServed) expect(served.has(notServed.operationId)).toBe(false);

    const me = doc.paths['/2/users/me'].get;
    expect(me.security).toEqual(describe_('getUsersMe').security.map((r) => ({ [r.scheme]: [...r.scopes] })));
    expect(me.security).toContainEqual({ UserToken: [] });
    expect(me.responses['200'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${describe_('getUsersMe').responses['200']}` });
    const oauth = doc.components.securitySchemes.OAuth2UserToken.flows.authorizationCode;
    expect(oauth.authorizationUrl).toBe(`${s.url}/i/oauth2/authorize`);
    expect(doc.paths['/2/tweets'].post.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
  });

  it('uses ROOST_PUBLIC_URL when set', async () => {
    const p = await startTestServer({ seed: null, config: { publicUrl: 'https://roost.example.test' } });
    try {
      const r = await p.request('GET', '/2/openapi.json', { token: null, raw: true });
      expect(r.body.servers[0].url).toBe('https://roost.example.test');
    } finally {
      await p.close();
    }
  });
});
