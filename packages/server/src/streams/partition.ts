import { createHash } from 'node:crypto';

const P31 = 2147483647;
const MINSTD = 48271;

/**
 * Partition (1..n) of an id on a partitioned stream. Snowflake ids share their low bits (worker and sequence are
 * often 0), so the id is mixed first: id mod (2^31 − 1), two MINSTD steps, mod n. Connecting to every partition
 * of a stream receives every event exactly once.
 */
export function postsByPartition(id: string, n: number): number {
  let r = 0;
  for (let i = 0; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 1;
    r = (r * 10 + d) % P31;
  }
  r = (r * MINSTD) % P31;
  r = (r * MINSTD) % P31;
  return (r % n) + 1;
}

/** A like's id (X's LikeId: up to 40 word characters): stable per (user, post). */
export function likeId(userId: string, postId: string): string {
  return createHash('md5').update(`${userId}:${postId}`).digest('hex');
}
