/**
 * What the Direct Messages and Chats tests share: fresh correspondents picked from the seeded world, their tokens,
 * DM settings, and OAuth 1.0a requests signed by the test signer (oauth1-sign.ts).
 */
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';
import { createApp, XDEVELOPERS_ID } from '@roost/server';
import { mintOAuth1AccessToken } from '../../src/auth/oauth1.js';
import type { AppPermission } from '../../src/data/oauth1.js';
import type { DmAllowFrom } from '../../src/data/dms.js';
import { setDmSettings } from '../../src/domain/dms.js';
import { id, one } from './find.js';
import { sign } from './oauth1-sign.js';

export const ME = XDEVELOPERS_ID;

/** Public, unsuspended accounts that share nothing with @XDevelopers (no follow or block either way), handed out one per call. */
export function correspondents(s: TestServer) {
  let next = 0;
  return async function fresh(allowFrom: DmAllowFrom = 'everyone'): Promise<{ id: string; token: string }> {
    const r = await one(
      s,
      `select id from users u where suspended = 0 and protected = 0 and id <> ${ME}
       and not exists (select 1 from follows f where (f.follower_id = u.id and f.followee_id = ${ME}) or (f.follower_id = ${ME} and f.followee_id = u.id))
       and not exists (select 1 from blocks b where (b.blocker_id = u.id and b.blocked_id = ${ME}) or (b.blocker_id = ${ME} and b.blocked_id = u.id))
       and not exists (select 1 from dm_participants p where p.user_id = u.id)
       order by id limit 1 offset ${next++}`,
    );
    const userId = id(r.id);
    await setDmSettings(s.handle.ctx, userId, allowFrom);
    return { id: userId, token: await s.userTokenFor(userId) };
  };
}

/** A test server whose published events go into `events`, and its supply of correspondents. */
export async function dmServer(events: DomainEvent[], opts?: Parameters<typeof startTestServer>[0]): Promise<{ s: TestServer; fresh: ReturnType<typeof correspondents> }> {
  const s = await startTestServer(opts);
  s.handle.ctx.bus.subscribe((e) => events.push(e));
  return { s, fresh: correspondents(s) };
}

/** POST and GET as @XDevelopers (or the token given) on the server `server()` returns once it has started. */
export function requester(server: () => TestServer) {
  return {
    post: (path: string, body: unknown, token = server().userToken) => server().request('POST', path, { token, body }),
    get: (path: string, query: Record<string, string | number> = {}, token = server().userToken) => server().get(path, { token, query }),
  };
}

export interface OAuth1Caller {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** A caller signing with OAuth 1.0a for @XDevelopers through a new app of the given permission level. */
export async function oauth1Caller(s: TestServer, permission: AppPermission, userId = ME): Promise<OAuth1Caller> {
  const ctx = s.handle.ctx;
  const app = await createApp(ctx, { name: `DM ${permission}`, ownerUserId: ME });
  await ctx.repos.oauth1.setAppPermission(app.id, permission);
  const t = await mintOAuth1AccessToken(ctx, { appId: app.id, userId, permission });
  return {
    async request(method, path, body) {
      const u = new URL(path, 'https://api.x.com');
      const { header } = sign(
        { method, url: u.toString(), consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret },
        Math.floor(s.clock.now() / 1000),
      );
      const r = await s.request(method, u.pathname + u.search, { token: null, headers: { authorization: header }, body });
      return { status: r.status, body: r.body };
    },
  };
}
