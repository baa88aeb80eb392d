import { afterAll, describe, expect, it } from 'vitest';
import { LocalBus, type Bus, type Delivery, type DomainEvent } from '../src/events/bus.js';
import { RedisBus } from '../src/redis/bus.js';
import { withRedis } from './redis-backend.js';

/**
 * One contract, both buses: the in-process LocalBus and the bus on Redis Streams. Shared-bus steps (another node,
 * a restart) run where the backend has another node to open.
 */
interface Node {
  bus: Bus;
  close(): Promise<void>;
}

interface Backend {
  /** A bus as node `name` opens it (a restart reuses the name); null when the backend has no other node. */
  node(name: string): Promise<Node | null>;
  first: Node;
}

let seq = 0;
const ev = (n: number): DomainEvent => ({ type: 'like.created', userId: `u${n}`, postId: `p${++seq}`, at: Date.now() });

/** Waits (bounded) until `got` holds at least `n` entries. */
async function until(got: unknown[], n: number, ms = 5_000): Promise<void> {
  for (let waited = 0; got.length < n && waited < ms; waited += 5) await new Promise((r) => setTimeout(r, 5));
}

function busContract(name: string, open: () => Promise<Backend>): void {
  describe(`bus contract: ${name}`, () => {
    const closing: Node[] = [];
    afterAll(async () => {
      for (const n of closing.reverse()) await n.close();
    });

    it('delivers every event once, in publish order, to every subscriber; isolates a throwing one; unsubscribes', async () => {
      const b = await open();
      closing.push(b.first);
      const a: DomainEvent[] = [];
      const c: DomainEvent[] = [];
      const offA = b.first.bus.subscribe((e) => a.push(e));
      b.first.bus.subscribe(() => {
        throw new Error('bad subscriber');
      });
      b.first.bus.subscribe((e) => c.push(e));
      const sent = Array.from({ length: 50 }, (_, i) => ev(i));
      await Promise.all(sent.map((e) => b.first.bus.publish(e)));
      await until(c, 50);
      expect(a).toEqual(sent);
      expect(c).toEqual(sent);
      offA();
      const last = ev(99);
      await b.first.bus.publish(last);
      await until(c, 51);
      expect(c.at(-1)).toEqual(last);
      expect(a).toHaveLength(50);
    });

    it('every node sees every node\'s events, in one order', async () => {
      const b = await open();
      const other = await b.node('second');
      if (!other) return;
      closing.push(other);
      const seenFirst: DomainEvent[] = [];
      const seenOther: DomainEvent[] = [];
      b.first.bus.subscribe((e) => seenFirst.push(e));
      other.bus.subscribe((e) => seenOther.push(e));
      const sent: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) sent.push(Promise.resolve((i % 2 ? other : b.first).bus.publish(ev(i))));
      await Promise.all(sent);
      await until(seenFirst, 40);
      await until(seenOther, 40);
      expect(seenFirst).toHaveLength(40);
      expect(seenOther).toEqual(seenFirst);
    });

    it('a restarted node catches up on what was published while it was down, marked catchUp, nothing twice', async () => {
      const b = await open();
      const node = await b.node('restarting');
      if (!node) return;
      const before: DomainEvent[] = [];
      node.bus.subscribe((e) => before.push(e));
      const e1 = ev(1);
      await b.first.bus.publish(e1);
      await until(before, 1);
      await node.close();
      const missed = [ev(2), ev(3), ev(4)];
      for (const e of missed) await b.first.bus.publish(e);
      const again = (await b.node('restarting'))!;
      closing.push(again);
      expect(again).not.toBeNull();
      // The restarted node subscribed before it started reading, so the catch-up reached it (open() starts it).
      const after = (again as Node & { seen: [DomainEvent, Delivery][] }).seen;
      expect(after.map(([e]) => e)).toEqual(missed);
      expect(after.every(([, d]) => d.catchUp)).toBe(true);
      const live = ev(5);
      await b.first.bus.publish(live);
      await until(after, 4);
      expect(after.at(-1)).toEqual([live, { catchUp: false }]);
    });
  });
}

busContract('local', async () => {
  const bus = new LocalBus();
  return { first: { bus, close: async () => undefined }, node: async () => null };
});

withRedis('bus contract: redis', (nodes) => {
  let run = 0;
  busContract('redis streams', async () => {
    const n = await nodes();
    // Each backend instance is its own world: a prefix of its own on the shared server.
    const prefix = `bus${++run}:`;
    const open = async (name: string) => {
      const c = n.node();
      const bus = new RedisBus(c.cmd, c.dedicated(), prefix, { node: name });
      const seen: [DomainEvent, Delivery][] = [];
      bus.subscribe((e, d) => seen.push([e, d]));
      await bus.start(Date.now());
      return { bus, seen, close: () => bus.close() };
    };
    return { first: await open('first'), node: open };
  });
});
