/** Checks that hold for every client library, written once and driven through each library's own calls. */
import { expect } from 'vitest';
import { PostPaginator } from '@xdevplatform/xdk';
import type { Roost } from './roost.js';
import { followersCount, followTarget } from './world.js';

/**
 * @XDevelopers follows a fresh target and unfollows it through a client library: each call answers as `answers`
 * says, and the target's follower count goes up by one, then back.
 */
export async function expectFollowRoundTrip(
  roost: Roost,
  calls: { follow(targetId: string): Promise<unknown>; unfollow(targetId: string): Promise<unknown> },
  answers: { followed: unknown; unfollowed: unknown },
): Promise<void> {
  const target = await followTarget(roost);
  const before = await followersCount(roost, target.id);
  expect(await calls.follow(target.id)).toEqual(answers.followed);
  expect(await followersCount(roost, target.id)).toBe(before + 1);
  expect(await calls.unfollow(target.id)).toEqual(answers.unfollowed);
  expect(await followersCount(roost, target.id)).toBe(before);
}

type PostPage = ConstructorParameters<typeof PostPaginator>[0] extends (token?: string) => Promise<infer P> ? P : never;

/** Every page of a post list through the XDK's PostPaginator (at most 100 fetches): the paginator, and the fetches made. */
export async function xdkPagesToEnd(fetchPage: (token?: string) => Promise<PostPage>): Promise<{ timeline: PostPaginator; pages: number }> {
  const timeline = new PostPaginator(fetchPage);
  let pages = 0;
  while (!timeline.done && pages < 100) {
    await timeline.fetchNext();
    pages++;
  }
  return { timeline, pages };
}
