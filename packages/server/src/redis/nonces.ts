import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { NonceStore } from '../auth/oauth1.js';

/**
 * OAuth 1.0a nonces spent on any node: `SET NX` with the nonce's remaining lifetime, so the first node to see a
 * (consumer, token, timestamp, nonce) wins and a replay on any node within the window is refused. Keys are digests
 * (nonces are client-chosen and may be long).
 */
export class RedisNonces implements NonceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async replayed(key: string, expiresAt: number, now: number): Promise<boolean> {
    const ttl = Math.max(1, expiresAt - now);
    const digest = createHash('sha256').update(key).digest('base64url');
    const set = await this.redis.set(`${this.prefix}nonce:${digest}`, '1', 'PX', ttl, 'NX');
    return set === null;
  }
}
