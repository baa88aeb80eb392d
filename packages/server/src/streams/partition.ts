import { createHash } from 'node:crypto';

/**
 * Partition (1..n) of an id on a partitioned stream: the id's decimal value mod n, plus one. Connecting to every
 * partition of a stream receives every event exactly once.
 */
export function postsByPartition(id: string, n: number): number {
  let r = 0;
  for (let i = 0; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 1;
    r = (r * 10 + d) % n;
  }
  return r + 1;
}

/** A like's id (X's LikeId: up to 40 word characters): stable per (user, post). */
export function likeId(userId: string, postId: string): string {
  return createHash('md5').update(`${userId}:${postId}`).digest('hex');
}
