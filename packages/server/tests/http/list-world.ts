/** Test-side helpers for the list tests: picking users from the seeded world, making lists, reading counters back. */
import { expect } from 'vitest';
import { sql } from 'kysely';
import { TEST_NOW, type TestServer } from '@roost/dev-env';

export const ME = '2244994945';

export function listWorld(s: TestServer) {
  const rows = async <T = any>(q: string): Promise<T[]> => (await sql.raw<T>(q).execute(s.handle.ctx.store.db)).rows;
  const count = async (q: string): Promise<number> => Number((await rows<{ n: unknown }>(`select count(*) as n from ${q}`))[0]!.n);
  const taken = new Set<string>();

  return {
    rows,
    count,

    /** Creates a list as the token's user; its id. */
    async create(token: string, body: Record<string, unknown>): Promise<string> {
      const r = await s.request('POST', '/2/lists', { token, body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.data.id as string;
    },

    /**
     * Users no other call of this world handed out: public, not suspended, no block either way with @XDevelopers,
     * not followed by it (tests add follows where they need them); `posting`: with at least three posts of their own in the last six days (what recent search sees).
     */
    async freshUsers(n: number, opts: { posting?: boolean } = {}): Promise<string[]> {
      const week = TEST_NOW - 6 * 86_400_000;
      const posting = opts.posting
        ? `and (select count(*) from posts p where p.author_id = u.id and p.deleted = 0 and p.reposted_post_id is null and p.created_at between ${week} and ${TEST_NOW - 60_000}) >= 3`
        : '';
      const found = await rows<{ id: unknown }>(
        `select id from users u where suspended = 0 and protected = 0 and id <> ${ME} ${posting}
         and not exists (select 1 from blocks b where (b.blocker_id = u.id and b.blocked_id = ${ME}) or (b.blocked_id = u.id and b.blocker_id = ${ME}))
         and not exists (select 1 from follows f where f.follower_id = ${ME} and f.followee_id = u.id)
         order by id`,
      );
      const out: string[] = [];
      for (const r of found) {
        const id = String(r.id);
        if (taken.has(id)) continue;
        taken.add(id);
        out.push(id);
        if (out.length === n) return out;
      }
      throw new Error(`the world has fewer than ${n} fresh users left`);
    },

    /**
     * Live, current posts by these authors, newest first, as `viewer` may read them for their Community (null:
     * app-only): none, a Public one, or — for a user — a Closed one they belong to, or their own. Search and counts
     * show public content only: the app-only reading.
     */
    async postsBy(authors: readonly string[], viewer: string | null): Promise<string[]> {
      const closedOk = viewer ? ` or author_id = ${viewer} or community_id in (select community_id from community_members where user_id = ${viewer})` : '';
      const readable = `(community_id is null or community_id in (select id from communities where access = 'Public')${closedOk})`;
      const found = await rows<{ id: unknown }>(`select id from posts where author_id in (${authors.join(',')}) and deleted = 0 and superseded = 0 and ${readable} order by id desc`);
      return found.map((r) => String(r.id));
    },

    async protectedUser(): Promise<string> {
      const [r] = await rows<{ id: unknown }>(`select id from users u where protected = 1 and suspended = 0 and not exists (select 1 from follows f where f.follower_id = ${ME} and f.followee_id = u.id) order by id limit 1`);
      return String(r!.id);
    },

    async suspendedUser(): Promise<string> {
      const [r] = await rows<{ id: unknown }>('select id from users where suspended = 1 order by id limit 1');
      return String(r!.id);
    },

    /** Adds a row to a relation table; the returned function removes exactly that row. */
    async relate(table: 'blocks' | 'follows', a: string, b: string): Promise<() => Promise<void>> {
      const [ca, cb] = table === 'blocks' ? ['blocker_id', 'blocked_id'] : ['follower_id', 'followee_id'];
      await rows(`insert into ${table} (${ca}, ${cb}, created_at) values (${a}, ${b}, ${TEST_NOW - 1000})`);
      return async () => void (await rows(`delete from ${table} where ${ca} = ${a} and ${cb} = ${b}`));
    },

    /** A list's counters next to the rows they count. */
    async listCounters(listId: string) {
      const [l] = await rows<{ member_count: unknown; follower_count: unknown }>(`select member_count, follower_count from lists where id = ${listId}`);
      return {
        members: Number(l!.member_count),
        memberRows: await count(`list_members where list_id = ${listId}`),
        followers: Number(l!.follower_count),
        followerRows: await count(`list_followers where list_id = ${listId}`),
      };
    },

    /** A user's listed_count next to the public lists that have them as a member. */
    async listed(userId: string) {
      const [u] = await rows<{ listed_count: unknown }>(`select listed_count from users where id = ${userId}`);
      return {
        counter: Number(u!.listed_count),
        publicMemberships: await count(`list_members m join lists l on l.id = m.list_id where m.member_id = ${userId} and l.private = 0`),
      };
    },
  };
}
