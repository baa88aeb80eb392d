/** What the X Activity API tests share: subscriptions, activity stream connections, and the spec check of their lines. */
import { expect } from 'vitest';
import { checkResponse, type TestServer } from '@roost/dev-env';
import { eventually, StreamClient } from './stream-client.js';

export const ACTIVITY_STREAM = '/2/activity/stream';

/** Every line is a spec-valid ActivityStreamResponse. */
export function validLines(msgs: any[]): any[] {
  for (const m of msgs) checkResponse('GET', ACTIVITY_STREAM, 200, m);
  return msgs;
}

/** Subscriptions and activity streams of the default app of the server `server()` returns once started. */
export function activityApp(server: () => TestServer) {
  const clients: StreamClient[] = [];
  return {
    /** Creates a subscription (app-only unless a user token is given); its id. */
    async subscribe(body: Record<string, unknown>, token?: string): Promise<string> {
      const r = await server().request('POST', '/2/activity/subscriptions', { body, token });
      expect(r.status).toBe(200);
      return r.body.data.subscription.subscription_id as string;
    },
    /** Opens an activity stream and waits until the server holds it. */
    async open(query: Record<string, string | number> = {}): Promise<StreamClient> {
      const before = server().handle.ctx.streams.openCount;
      const c = await StreamClient.open(server(), ACTIVITY_STREAM, query);
      expect(c.status).toBe(200);
      clients.push(c);
      await eventually(() => server().handle.ctx.streams.openCount === before + 1);
      return c;
    },
    /** Closes the streams opened here and waits until the server let them go. */
    async closeAll(): Promise<void> {
      for (const c of clients.splice(0)) c.close();
      await eventually(() => server().handle.ctx.streams.openCount === 0);
    },
    /** Keeps a stream opened elsewhere (a refused one) to be closed with the others. */
    track(c: StreamClient): StreamClient {
      clients.push(c);
      return c;
    },
  };
}
