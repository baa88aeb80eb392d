/** `roost notes request`, in-process on a small seeded database. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runInProcess, scratchDir } from './cli-kit.js';

const db = join(scratchDir('roost-notes-cli-'), 'w.db');
const roost = (...argv: string[]) => runInProcess(...argv, '--db', db);

describe('roost notes request', () => {
  it('counts requests per person and post, says when the post becomes eligible, refuses bad input with one line', async () => {
    expect((await roost('seed', '--users', '30', '--posts', '60')).code).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    const post = sqlite
      .prepare(
        `select cast(p.id as text) as id, cast(p.author_id as text) as author from posts p join users u on u.id = p.author_id where p.deleted = 0 and p.reposted_post_id is null
         and u.protected = 0 and u.suspended = 0 and p.impression_count < 125000 and not exists (select 1 from note_requests q where q.post_id = p.id) order by p.id desc limit 1`,
      )
      .get() as { id: string; author: string };
    const askers = (sqlite.prepare(`select username from users where suspended = 0 and protected = 0 and id <> ? order by id limit 5`).all(post.author) as { username: string }[]).map((u) => u.username);
    sqlite.close();

    for (const [i, name] of askers.slice(0, 4).entries()) {
      const r = await roost('notes', 'request', '--post', post.id, '--user', name);
      expect(r.out.trim()).toBe(`Post ${post.id}: ${i + 1} ${i ? 'requests' : 'request'} for a note; eligible at 5`);
    }
    const again = await roost('notes', 'request', '--post', post.id, '--user', askers[0]!);
    expect(again.out.trim()).toBe(`Post ${post.id}: 4 requests for a note; eligible at 5`);
    const fifth = await roost('notes', 'request', '--post', post.id, '--user', askers[4]!, '--source', post.id);
    expect(fifth.out.trim()).toBe(`Post ${post.id}: 5 requests for a note; eligible for notes`);

    expect((await roost('notes', 'request', '--post', post.id, '--user', 'nobody_here_x')).err).toMatch(/no user @nobody_here_x/);
    expect((await roost('notes', 'request', '--post', '123', '--user', askers[1]!)).err).toMatch(/cannot see post 123/);
    expect((await roost('notes', 'request', '--post', 'abc', '--user', askers[1]!)).err).toMatch(/--post and --source take post ids/);
    expect((await roost('notes', 'request', '--user', askers[1]!)).err).toMatch(/--post and --user are required/);
  });
});
