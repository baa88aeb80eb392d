import { describe, expect, it } from 'vitest';
import type { PostRow, UserRow } from '../data/rows.js';
import {
  APP_ONLY,
  appOnlyPostVerdict,
  broadcastChatVerdict,
  communityAccess,
  followKey,
  homeTimelineAuthors,
  includedUser,
  judgePostPage,
  judgeUserPage,
  ownerOnlyVerdict,
  postVerdict,
  relationNeeds,
  subjectUserVerdict,
  userVerdict,
  type CommunityAccess,
  type Relations,
  type Viewer,
} from './rules.js';
import { testPost, testUser } from './test-rows.js';

const ME: Viewer = { userId: '1' };
const other = (over: Partial<UserRow> = {}) => testUser('2', over);
const by = (author: UserRow, over: Partial<PostRow> = {}) => testPost('20', author.id, over);

const none: Relations = { follows: new Set() };
const following: Relations = { follows: new Set([followKey('1', '2')]) };
const blocked: Relations = { follows: new Set([followKey('1', '2')]), blocked: new Set(['2']) };
const muted: Relations = { follows: new Set(), muted: new Set(['2']) };
const inCommunity = (access: CommunityAccess | null): Relations => ({ follows: new Set(), communities: new Map(access ? [['77', access]] : []) });
const communityPost = (over: Partial<PostRow> = {}) => by(other(), { extras: { community_id: '77' }, ...over });

describe('postVerdict', () => {
  const cases: [string, Viewer, PostRow | undefined, UserRow | undefined, Relations, string][] = [
    ['unknown post', ME, undefined, other(), none, 'missing'],
    ['deleted post', ME, by(other(), { deleted: true }), other(), none, 'missing'],
    ['unknown author', ME, by(other()), undefined, none, 'missing'],
    ['suspended author', ME, by(other({ suspended: true })), other({ suspended: true }), none, 'missing'],
    ['public author', ME, by(other()), other(), none, 'ok'],
    ['public author, app-only', APP_ONLY, by(other()), other(), none, 'ok'],
    ['protected author, app-only', APP_ONLY, by(other({ protected: true })), other({ protected: true }), none, 'unauthorized'],
    ['protected author, not followed', ME, by(other({ protected: true })), other({ protected: true }), none, 'unauthorized'],
    ['protected author, followed', ME, by(other({ protected: true })), other({ protected: true }), following, 'ok'],
    ['protected author is the viewer', { userId: '2' }, by(other({ protected: true })), other({ protected: true }), none, 'ok'],
    ['block either way, public author', ME, by(other()), other(), blocked, 'unauthorized'],
    ['block either way beats a follow', ME, by(other({ protected: true })), other({ protected: true }), blocked, 'unauthorized'],
    ['muted author: mutes hide nothing here', ME, by(other()), other(), muted, 'ok'],
    ['post in a Public Community', ME, communityPost(), other(), inCommunity('public'), 'ok'],
    ['post in a Closed Community, viewer a member', ME, communityPost(), other(), inCommunity('member'), 'ok'],
    ['post in a Closed Community, viewer no member', ME, communityPost(), other(), inCommunity('closed'), 'unauthorized'],
    ['post in a Closed Community, app-only', APP_ONLY, communityPost(), other(), inCommunity('closed'), 'unauthorized'],
    ['post in a Community nobody loaded: not shown', ME, communityPost(), other(), inCommunity(null), 'unauthorized'],
    ['post in a Closed Community, viewer the author', { userId: '2' }, communityPost(), other(), inCommunity('closed'), 'ok'],
    ['post in a Closed Community, still missing when deleted', ME, communityPost({ deleted: true }), other(), inCommunity('member'), 'missing'],
    ['withheld author: withheld hides nothing', ME, by(other({ withheld: { country_codes: ['DE'] } })), other({ withheld: { country_codes: ['DE'] } }), none, 'ok'],
  ];
  it.each(cases)('%s', (_name, viewer, post, author, rel, want) => {
    expect(postVerdict(viewer, post, author, rel)).toBe(want);
  });

  it('follows count only from the viewer to the author', () => {
    const reverse: Relations = { follows: new Set([followKey('2', '1')]) };
    expect(postVerdict(ME, by(other({ protected: true })), other({ protected: true }), reverse)).toBe('unauthorized');
  });

  it('streams judge as an app-only viewer', () => {
    const noCommunity = new Map<string, CommunityAccess>();
    expect(appOnlyPostVerdict(by(other()), other(), noCommunity)).toBe('ok');
    expect(appOnlyPostVerdict(by(other({ protected: true })), other({ protected: true }), noCommunity)).toBe('unauthorized');
    expect(appOnlyPostVerdict(by(other({ suspended: true })), other({ suspended: true }), noCommunity)).toBe('missing');
    expect(appOnlyPostVerdict(by(other(), { deleted: true }), other(), noCommunity)).toBe('missing');
    expect(appOnlyPostVerdict(communityPost(), other(), new Map([['77', communityAccess('Public', false)]]))).toBe('ok');
    expect(appOnlyPostVerdict(communityPost(), other(), new Map([['77', communityAccess('Closed', false)]]))).toBe('unauthorized');
  });
});

describe('user verdicts', () => {
  it('profiles: shown unless unknown or suspended, protected and blocking ones included', () => {
    expect(userVerdict(undefined)).toBe('missing');
    expect(userVerdict(other({ suspended: true }))).toBe('suspended');
    expect(userVerdict(other({ protected: true }))).toBe('ok');
    expect(includedUser(other({ suspended: true }))).toBe(false);
    expect(includedUser(undefined)).toBe(false);
    expect(includedUser(other({ protected: true }))).toBe(true);
  });

  const cases: [string, Viewer, UserRow | undefined, Relations, string][] = [
    ['unknown', ME, undefined, none, 'missing'],
    ['suspended', ME, other({ suspended: true }), none, 'suspended'],
    ['suspended and blocked: suspended first', ME, other({ suspended: true }), blocked, 'suspended'],
    ['public', ME, other(), none, 'ok'],
    ['protected, app-only', APP_ONLY, other({ protected: true }), none, 'unauthorized'],
    ['protected, not followed', ME, other({ protected: true }), none, 'unauthorized'],
    ['protected, followed', ME, other({ protected: true }), following, 'ok'],
    ['protected, the viewer themselves', { userId: '2' }, other({ protected: true }), none, 'ok'],
    ['blocked either way', ME, other(), blocked, 'unauthorized'],
    ['muted', ME, other(), muted, 'ok'],
  ];
  it.each(cases)('subject of a list: %s', (_name, viewer, user, rel, want) => {
    expect(subjectUserVerdict(viewer, user, rel)).toBe(want);
  });
});

describe('relationNeeds', () => {
  it('asks nothing for an app-only viewer', () => {
    expect(relationNeeds(APP_ONLY, [other({ protected: true })])).toEqual({ followPairs: [], blockChecks: [] });
  });

  it('asks follows of protected authors and blocks of every author but the viewer', () => {
    const authors = [testUser('1', { protected: true }), testUser('2', { protected: true }), testUser('3')];
    expect(relationNeeds(ME, authors)).toEqual({ followPairs: [['1', '2']], blockChecks: ['2', '3'] });
  });
});

describe('homeTimelineAuthors', () => {
  it('is the viewer and whom they follow, minus muted and blocked accounts', () => {
    const rel = { muted: new Set(['3']), blocked: new Set(['4']) };
    expect(homeTimelineAuthors('1', ['2', '3', '4', '5', '1'], rel)).toEqual(['1', '2', '5']);
    expect(homeTimelineAuthors('1', [], {})).toEqual(['1']);
  });
});

describe('pages', () => {
  const alice = testUser('10');
  const locked = testUser('11', { protected: true });
  const gone = testUser('12', { suspended: true });
  const posts = new Map<string, PostRow>(
    [
      testPost('100', '10', { quotedPostId: '200', inReplyToPostId: '201' }),
      testPost('101', '11'),
      testPost('102', '10', { deleted: true }),
      testPost('103', '10', { repostedPostId: '200', quotedPostId: '202' }),
      testPost('200', '10'),
      testPost('201', '11'),
      testPost('202', '12'),
    ].map((p) => [p.id, p]),
  );
  const users = new Map([alice, locked, gone].map((u) => [u.id, u]));
  const state = { posts, users, relations: none };

  it('keeps the asked order and says why each hidden post is hidden', () => {
    const r = judgePostPage(ME, state, ['101', '100', '999', '102', '103'], false);
    expect(r.shown.map((p) => p.id)).toEqual(['100', '103']);
    expect(r.hidden).toEqual([
      { id: '101', verdict: 'unauthorized' },
      { id: '999', verdict: 'missing' },
      { id: '102', verdict: 'missing' },
    ]);
    expect(r.refs).toEqual([]);
  });

  it('judges references of shown posts only, each once, repost then quote then reply', () => {
    const r = judgePostPage(ME, state, ['101', '100', '103'], true);
    expect(r.refs.map((p) => p.id)).toEqual(['200']);
    expect(r.hiddenRefs).toEqual([
      { id: '201', verdict: 'unauthorized' },
      { id: '202', verdict: 'missing' },
    ]);
    const asFollower = judgePostPage(ME, { ...state, relations: { follows: new Set([followKey('1', '11')]) } }, ['100'], true);
    expect(asFollower.refs.map((p) => p.id)).toEqual(['200', '201']);
  });

  it('users: shown in order, hidden ones named by the key the client sent', () => {
    const r = judgeUserPage([
      { key: 'Alice', user: alice },
      { key: 'nobody', user: undefined },
      { key: '12', user: gone },
      { key: '11', user: locked },
    ]);
    expect(r.shown.map((u) => u.id)).toEqual(['10', '11']);
    expect(r.hidden).toEqual([
      { id: 'nobody', verdict: 'missing' },
      { id: '12', verdict: 'suspended' },
    ]);
  });
});

describe('broadcasts and article drafts', () => {
  it("what only its owner sees is missing for everyone else, app-only callers included", () => {
    expect(ownerOnlyVerdict(ME, '1')).toBe('ok');
    expect(ownerOnlyVerdict(ME, '2')).toBe('missing');
    expect(ownerOnlyVerdict(ME, undefined)).toBe('missing');
    expect(ownerOnlyVerdict(APP_ONLY, '1')).toBe('missing');
  });

  it('chat: a live broadcast of a reachable broadcaster; missing, unauthorized and unavailable otherwise', () => {
    const live = { live: true };
    const cases: [string, { live: boolean } | undefined, UserRow | undefined, Relations, string][] = [
      ['unknown broadcast', undefined, other(), none, 'missing'],
      ['suspended broadcaster', live, other({ suspended: true }), none, 'missing'],
      ['public broadcaster, live', live, other(), none, 'ok'],
      ['public broadcaster, not live', { live: false }, other(), none, 'unavailable'],
      ['blocked either way', live, other(), blocked, 'unauthorized'],
      ['protected broadcaster, not followed', live, other({ protected: true }), none, 'unauthorized'],
      ['protected broadcaster, followed', live, other({ protected: true }), following, 'ok'],
      ['not live is told only to those who may reach the broadcaster', { live: false }, other(), blocked, 'unauthorized'],
    ];
    for (const [name, b, broadcaster, rel, want] of cases) expect(broadcastChatVerdict(ME, b, broadcaster, rel), name).toBe(want);
  });
});
