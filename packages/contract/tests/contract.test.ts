import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations, operation, specVersion } from '../src/index.js';
import { generate, outDir, readSpec, specPath } from '../scripts/generate.js';

const hasSpec = existsSync(specPath);

describe('contract', () => {
  it('has one descriptor per operation of the spec', () => {
    expect(specVersion).toBe('2.167');
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
    if (hasSpec) {
      const spec = readSpec();
      let n = 0;
      for (const item of Object.values<any>(spec.paths)) n += Object.keys(item).filter((k) => k !== 'parameters').length;
      expect(operations.length).toBe(n);
    } else {
      expect(operations.length).toBe(171);
    }
  });

  it('carries parameters, constraints, security and streaming flags', () => {
    const lookup = operation('getUsersByUsername');
    expect(lookup.method).toBe('GET');
    expect(lookup.path).toBe('/2/users/by/username/{username}');
    expect(lookup.params.find((p) => p.name === 'username')).toMatchObject({ in: 'path', required: true, pattern: '^[A-Za-z0-9_]{1,15}$' });
    expect(lookup.security.map((s) => s.scheme).sort()).toEqual(['BearerToken', 'OAuth2UserToken', 'UserToken']);
    const timeline = operation('getUsersPosts');
    expect(timeline.params.find((p) => p.name === 'max_results')).toMatchObject({ minimum: 5, maximum: 100, type: 'integer' });
    expect(operation('streamPosts').streaming).toBe(true);
    expect(operation('getPostsById').streaming).toBe(false);
  });

  it('gives post-field parameters both name generations', () => {
    const op = operation('getPostsById');
    const modern = op.params.find((p) => p.name === 'post.fields')!;
    const classic = op.params.find((p) => p.name === 'tweet.fields')!;
    expect(classic.aliasOf).toBe('post.fields');
    for (const v of ['author_id', 'edit_history_tweet_ids', 'edit_history_post_ids', 'referenced_tweets', 'referenced_posts']) {
      expect(modern.items!.enum).toContain(v);
      expect(classic.items!.enum).toContain(v);
    }
    const exp = op.params.find((p) => p.name === 'expansions')!;
    expect(exp.items!.enum).toEqual(expect.arrayContaining(['referenced_tweets.id', 'referenced_posts', 'referenced_tweets.id.author_id']));
  });

  it('lets dm_event.fields take the classic names 2.167 reaches only through expansions', () => {
    for (const id of ['getDirectMessagesEvents', 'getDirectMessagesEventsById', 'getDirectMessagesEventsByConversationId', 'getDirectMessagesEventsByParticipantId']) {
      const f = operation(id).params.find((p) => p.name === 'dm_event.fields')!;
      expect(f.items!.enum, id).toEqual(expect.arrayContaining(['sender_id', 'participant_ids', 'referenced_tweets', 'referenced_posts', 'text']));
    }
  });

  it('accepts list.fields=owner_id, which X answers and the spec enum leaves out', () => {
    for (const id of ['getListsById', 'getUsersOwnedLists', 'getUsersFollowedLists', 'getUsersListMemberships', 'getUsersPinnedLists'] as const) {
      const fields = operation(id).params.find((p) => p.name === 'list.fields')!;
      expect(fields.items!.enum, id).toEqual(['created_at', 'description', 'follower_count', 'id', 'member_count', 'name', 'owner_id', 'private']);
    }
  });

  it.skipIf(!hasSpec)('regenerating from ../shared gives no diff', () => {
    const files = generate(readSpec());
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(outDir, name), 'utf8'), name).toBe(text);
    }
  });
});
