/** Local HTTP servers the SDK tests talk to. */
import type { Server } from 'node:http';
import { afterEach } from 'vitest';

/** A list to push each test's servers onto: after each test they are closed, their open connections with them. */
export function serversClosedAfterEach(): Server[] {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  return servers;
}
