/** The lifecycle most HTTP test files share: one test server for the whole file. */
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../src/events/bus.js';

/**
 * One test server for the file: started (with `options`) before its tests, prepared by `started` when given, closed
 * after them. The answer stands for that server from the first hook on; using it at module load is an error.
 */
export function serverPerFile(options?: Parameters<typeof startTestServer>[0], started?: (s: TestServer) => void | Promise<void>): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    await started?.(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  return new Proxy({} as TestServer, {
    get(_, key) {
      if (!server) throw new Error(`the test server is not started yet (read .${String(key)} inside a test or hook)`);
      const v: unknown = Reflect.get(server, key, server);
      return typeof v === 'function' ? v.bind(server) : v;
    },
  });
}

/** A server per file (default world, or `options`) whose domain events are collected, in order, into `events`. */
export function serverPerFileWithEvents(options: Parameters<typeof startTestServer>[0] = {}): { s: TestServer; events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  const s = serverPerFile(options, (started) => {
    started.handle.ctx.bus.subscribe((e) => events.push(e));
  });
  return { s, events };
}
