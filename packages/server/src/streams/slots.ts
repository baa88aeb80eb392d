/**
 * Stream connection slots (FACTS §6.3: one connection per app, endpoint and partition; two with redundant
 * connections). A slot is held by one connection id from the moment it is admitted until it closes.
 *
 * Backends: `MemoryStreamSlots` (one node) and, with scale-out, Redis (redis/stream-slots.ts: one count for every
 * node, each slot a lease the holding node renews, so a node that dies without closing frees its slots when the
 * lease runs out — as a half-dead connection holds X's slot until X notices). One contract suite covers both
 * (tests/scale-stores.contract.test.ts).
 */
export interface StreamSlots {
  /** Takes one of `max` slots under `key` for `holder`; false when all are held. */
  acquire(key: string, max: number, holder: string): Promise<boolean>;
  /** Frees the holder's slot (no-op when it holds none). */
  release(key: string, holder: string): Promise<void>;
  /** How many slots under `key` are held now. */
  held(key: string): Promise<number>;
  /** Stops renewing leases and forgets this node's holders (shutdown; the slots themselves are released first). */
  close(): Promise<void>;
}

/** `app|endpoint|partition`: the unit the slot count applies to. */
export const slotKey = (appId: string, endpoint: string, partition: number | null): string => `${appId}|${endpoint}|${partition ?? '-'}`;

export class MemoryStreamSlots implements StreamSlots {
  private readonly holders = new Map<string, Set<string>>();

  async acquire(key: string, max: number, holder: string): Promise<boolean> {
    let set = this.holders.get(key);
    if (!set) this.holders.set(key, (set = new Set()));
    if (set.has(holder)) return true;
    if (set.size >= max) return false;
    set.add(holder);
    return true;
  }

  async release(key: string, holder: string): Promise<void> {
    const set = this.holders.get(key);
    if (!set) return;
    set.delete(holder);
    if (set.size === 0) this.holders.delete(key);
  }

  async held(key: string): Promise<number> {
    return this.holders.get(key)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.holders.clear();
  }
}
