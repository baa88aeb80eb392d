/**
 * The demo world's Direct Messages and Chats, deterministic per seed (drawn from their own fork):
 * - DM settings for about a fifth of the accounts; @XDevelopers takes messages from everyone;
 * - @XDevelopers' conversations: two one-to-one threads each opened by the other account (one shares
 *   @XDevelopers' pinned post), and a group it created in which a member left and another was added later;
 * - a one-to-one conversation between two other accounts, which @XDevelopers never sees;
 * - an encrypted one-to-one chat and a group chat of @XDevelopers, with registered public keys, key shares and
 *   messages — placeholder bytes in base64, as opaque to Roost as real X Chat ciphertext.
 * Worlds with fewer than eight accounts get none of it.
 */
import type { Repos } from '../data/index.js';
import type { DmAllowFrom, DmEventRow } from '../data/dms.js';
import type { ChatEventRow } from '../data/chats.js';
import type { UserRow } from '../data/rows.js';
import { pairId } from '../util/conversations.js';
import { snowflakeAt } from '../util/snowflake.js';
import { prepareText } from '../util/text.js';
import { XDEVELOPERS_ID, XDEVELOPERS_PINNED_POST_ID } from './anchor.js';
import type { Random } from './random.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const ASKS = [
  'Hi! Is there a sandbox where I can try the filtered stream before going live?',
  'Quick question about pagination_token on /2/users/:id/followers 🙏',
  'Our app gets a 429 on the recent search endpoint, what is the window?',
  'Does the media upload v2 support chunked GIFs?',
  'Thanks for the #XAPI office hours yesterday!',
];
const ANSWERS = [
  'Hey! Every limit is in the x-rate-limit-* headers of each answer.',
  'Yes, chunked uploads work for GIFs and videos alike.',
  'Glad it helped. The docs are at https://docs.x.com/x-api',
  'Windows are 15 minutes; the reset time is in x-rate-limit-reset.',
  'Try the pagination guide: https://docs.x.com/x-api/fundamentals/pagination',
];
const GROUP = ['Welcome to the beta testers group 👋', 'Release notes are coming on Monday.', 'Found a bug in the usage endpoint, filing it now', 'Thanks all!', '@XDevelopers is the new SDK out yet?'];
const SHARE = `Have you seen this? https://x.com/XDevelopers/status/${XDEVELOPERS_PINNED_POST_ID}`;

/** A conversation's events to come, in order; the planner interleaves conversations on one clock. */
interface Step {
  conversationId: string;
  event: (id: string, at: number) => DmEventRow;
}

export async function seedConversations(repos: Repos, r: Random, users: readonly UserRow[], blocks: readonly { blockerId: string; blockedId: string }[], now: number): Promise<void> {
  const blocked = new Set(blocks.flatMap((b) => [`${b.blockerId}:${b.blockedId}`, `${b.blockedId}:${b.blockerId}`]));
  const ok = (a: string, b: string) => a !== b && !blocked.has(`${a}:${b}`);
  const pool = users.filter((u) => u.id !== XDEVELOPERS_ID && !u.suspended && !u.protected);
  if (pool.length < 8) return;
  // Distinct accounts: two correspondents, four group members (one leaves, one joins later), two strangers.
  const order = r.permutation(pool.length);
  const picked = Array.from(order.slice(0, 8), (i) => pool[i]!.id);
  const [a, b, g1, g2, leaver, late, s1, s2] = picked as [string, string, string, string, string, string, string, string];

  const settings: { userId: string; allowFrom: DmAllowFrom; at: number }[] = [{ userId: XDEVELOPERS_ID, allowFrom: 'everyone', at: now - 30 * DAY }];
  for (const u of users) if (u.id !== XDEVELOPERS_ID && r.chance(0.2)) settings.push({ userId: u.id, allowFrom: r.pick(['everyone', 'verified', 'following'] as const), at: now - 30 * DAY });

  const groupId = snowflakeAt(now - 9 * DAY);
  const threads: Step[][] = [
    thread(pairId(XDEVELOPERS_ID, a), [a, XDEVELOPERS_ID, a, XDEVELOPERS_ID, a].map((from, i) => message(from, i === 2 ? SHARE : r.pick(from === a ? ASKS : ANSWERS)))),
    thread(pairId(XDEVELOPERS_ID, b), [message(b, r.pick(ASKS)), message(XDEVELOPERS_ID, r.pick(ANSWERS))]),
    thread(groupId, [
      join(XDEVELOPERS_ID, [g1, g2, leaver]),
      message(XDEVELOPERS_ID, GROUP[0]!),
      message(g1, r.pick(GROUP)),
      leave(leaver),
      join(XDEVELOPERS_ID, [late]),
      message(late, r.pick(GROUP)),
      message(g2, GROUP[4]!),
    ]),
  ];
  if (ok(s1, s2)) threads.push(thread(pairId(s1, s2), [message(s1, r.pick(ASKS)), message(s2, r.pick(ANSWERS))]));

  // One clock for every conversation: each step is a few minutes to a few hours after the one before.
  const events: DmEventRow[] = [];
  let t = now - 8 * DAY;
  while (threads.some((th) => th.length)) {
    const open = threads.filter((th) => th.length);
    const step = r.pick(open).shift()!;
    t += r.int(2 * MIN, 5 * HOUR);
    events.push(step.event(snowflakeAt(t), t));
  }
  const joinedAt = (conversationId: string) => events.find((e) => e.conversationId === conversationId)!.createdAt;
  const leftAt = events.find((e) => e.eventType === 'ParticipantsLeave')!.createdAt;
  const lateAt = events.filter((e) => e.conversationId === groupId && e.eventType === 'ParticipantsJoin')[1]!.createdAt;
  // [opener, other]: the account that sent the first message created the conversation.
  const oneToOne: [string, string][] = threads.length === 4 ? [[a, XDEVELOPERS_ID], [b, XDEVELOPERS_ID], [s1, s2]] : [[a, XDEVELOPERS_ID], [b, XDEVELOPERS_ID]];

  await repos.dms.putSettings(settings);
  await repos.dms.insertConversations([
    ...oneToOne.map(([x, y]) => ({ id: pairId(x, y), kind: 'one_to_one' as const, createdBy: x, createdAt: joinedAt(pairId(x, y)) })),
    { id: groupId, kind: 'group', createdBy: XDEVELOPERS_ID, createdAt: joinedAt(groupId) },
  ]);
  await repos.dms.addParticipants([
    ...oneToOne.flatMap(([x, y]) => [x, y].map((userId) => ({ conversationId: pairId(x, y), userId, joinedAt: joinedAt(pairId(x, y)), leftAt: null }))),
    ...[XDEVELOPERS_ID, g1, g2].map((userId) => ({ conversationId: groupId, userId, joinedAt: joinedAt(groupId), leftAt: null })),
    { conversationId: groupId, userId: leaver, joinedAt: joinedAt(groupId), leftAt },
    { conversationId: groupId, userId: late, joinedAt: lateAt, leftAt: null },
  ]);
  await repos.dms.insertEvents(events);
  await seedChats(repos, r.fork('chats'), [a, g1, g2], now);
}

function thread(conversationId: string, steps: ((conversationId: string) => Step)[]): Step[] {
  return steps.map((s) => s(conversationId));
}

function message(from: string, text: string) {
  const p = prepareText(text);
  return (conversationId: string): Step => ({
    conversationId,
    event: (id, at) => ({
      id,
      conversationId,
      eventType: 'MessageCreate',
      senderId: from,
      text: p.text,
      entities: p.entities,
      mediaKeys: null,
      referencedPostIds: text === SHARE ? [XDEVELOPERS_PINNED_POST_ID] : null,
      participantIds: null,
      createdAt: at,
      sourceAppId: null,
    }),
  });
}

function join(by: string, who: string[]) {
  return membership('ParticipantsJoin', by, who);
}

function leave(who: string) {
  return membership('ParticipantsLeave', null, [who]);
}

function membership(eventType: 'ParticipantsJoin' | 'ParticipantsLeave', by: string | null, who: string[]) {
  return (conversationId: string): Step => ({
    conversationId,
    event: (id, at) => ({ id, conversationId, eventType, senderId: by, text: null, entities: null, mediaKeys: null, referencedPostIds: null, participantIds: who, createdAt: at, sourceAppId: null }),
  });
}

/** @XDevelopers' encrypted chats: a one-to-one with its first correspondent and a group, keys and messages opaque. */
async function seedChats(repos: Repos, r: Random, [a, m1, m2]: string[], now: number): Promise<void> {
  const blob = (n: number) => r.chars(B64, n) + '=';
  const people = [XDEVELOPERS_ID, a!, m1!, m2!];
  const t0 = now - 5 * DAY;
  for (const [i, userId] of people.entries()) {
    await repos.chats.insertPublicKey({
      userId,
      version: String(t0 - 1000 + i),
      publicKey: blob(87),
      signingPublicKey: blob(87),
      identityPublicKeySignature: blob(95),
      signingPublicKeySignature: blob(95),
      publicKeyFingerprint: r.chars('0123456789abcdef', 64),
      registrationMethod: 'generated',
      createdAt: t0 - 1000 + i,
    });
  }
  let t = t0;
  const tick = () => (t += r.int(MIN, 3 * HOUR));
  for (const [id, kind, members] of [
    [pairId(XDEVELOPERS_ID, a!), 'one_to_one', [XDEVELOPERS_ID, a!]],
    [`g${snowflakeAt(t0)}`, 'group', [XDEVELOPERS_ID, m1!, m2!]],
  ] as const) {
    const keyVersion = String(t0);
    const created = tick();
    await repos.chats.insertConversation({
      id,
      kind,
      state: 'active',
      createdBy: XDEVELOPERS_ID,
      createdAt: created,
      updatedAt: created,
      lastEventId: null,
      keyVersion,
      groupName: kind === 'group' ? blob(31) : null,
      groupAvatarUrl: null,
      groupDescription: null,
      messageTtlMs: null,
    });
    await repos.chats.addMembers(members.map((userId) => ({ conversationId: id, userId, role: userId === XDEVELOPERS_ID && kind === 'group' ? 'admin' : 'member', joinedAt: created, seenUntil: null })));
    await repos.chats.putParticipantKeys(members.map((userId) => ({ conversationId: id, keyVersion, userId, encryptedKey: blob(107), publicKeyVersion: String(t0 - 1000 + people.indexOf(userId)), createdAt: created })));
    const events: ChatEventRow[] = [];
    const senders = [XDEVELOPERS_ID, ...members, XDEVELOPERS_ID];
    for (const [i, sender] of senders.entries()) {
      const at = i === 0 ? created : tick();
      events.push({
        id: snowflakeAt(at),
        conversationId: id,
        kind: i === 0 ? 'action' : 'message',
        senderId: i === 0 ? XDEVELOPERS_ID : sender,
        messageId: `${r.chars('0123456789abcdef', 8)}-${r.chars('0123456789abcdef', 4)}-4${r.chars('0123456789abcdef', 3)}-a${r.chars('0123456789abcdef', 3)}-${r.chars('0123456789abcdef', 12)}`,
        encodedEvent: blob(i === 0 ? 151 : 119),
        signature: i === 0 ? { signature: blob(87), public_key_version: String(t0 - 1000), signature_version: '1' } : { encoded_message_event_signature: blob(95) },
        conversationToken: null,
        keyVersion,
        previousId: events.length ? events[events.length - 1]!.id : null,
        createdAt: at,
      });
    }
    await repos.chats.insertEvents(events);
    await repos.chats.touch(id, { lastEventId: events[events.length - 1]!.id, at: events[events.length - 1]!.createdAt });
  }
}
