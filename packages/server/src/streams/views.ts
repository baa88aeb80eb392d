/**
 * The wire lines of a stream, from rows and renders already loaded: posts with their `matching_rules`, likes,
 * compliance and label events, X Activity events, and the error lines a stream ends with. Pure — the dispatcher loads, these shape —
 * so every shape is unit-tested without a server.
 */
import type { PostRow } from '../data/rows.js';
import { payloadJson } from '../delivery/views.js';
import { PROBLEMS } from '../errors.js';
import type { DomainEvent } from '../events/bus.js';
import type { Rendered } from '../pipeline/present-page.js';
import type { Selection } from '../pipeline/selection.js';
import type { CompiledRule } from './rule-index.js';
import type { StreamKind } from './spec.js';

/** Every message ends with `\r\n`; a bare one is the keep-alive (clients split on it, FACTS §6). */
export const CRLF = '\r\n';

export function errorLine(problem: Record<string, unknown>): string {
  return JSON.stringify({ errors: [problem] }) + CRLF;
}

/** The observed `operational-disconnect` line: server shutdown, or a kill through the Connections API. */
export function disconnectLine(kind: 'shutdown' | 'force'): string {
  return errorLine(
    kind === 'shutdown'
      ? {
          title: 'operational-disconnect',
          disconnect_type: 'UpstreamOperationalDisconnect',
          detail: 'This stream has been disconnected upstream for operational reasons.',
          type: `${PROBLEMS}operational-disconnect`,
        }
      : {
          title: 'operational-disconnect',
          disconnect_type: 'ForceDisconnect',
          detail: 'This stream has been disconnected by a request to the Connections API.',
          type: `${PROBLEMS}operational-disconnect`,
        },
  );
}

/**
 * A rendered post as the start of its line, left open: one render serves every connection with the same selection,
 * and each filtered connection closes it with its own `matching_rules`. Null when the post did not render.
 */
export function postHead(out: Rendered): string | null {
  if (!out.data.length) return null;
  const inc = out.includes ? `,"includes":${JSON.stringify(out.includes)}` : '';
  const err = out.errors ? `,"errors":${JSON.stringify(out.errors)}` : '';
  return `{"data":${JSON.stringify(out.data[0])}${inc}${err}`;
}

/** The post's line; `matched` (filtered stream only) becomes `matching_rules`. */
export function postLine(head: string, matched: readonly CompiledRule[] | null): string {
  if (matched === null) return `${head}}${CRLF}`;
  return `${head},"matching_rules":${JSON.stringify(matched.map(ruleRef))}}${CRLF}`;
}

/** Observed payloads carry `"tag":""` for a rule created without a tag. */
const ruleRef = (r: CompiledRule) => ({ id: r.id, tag: r.tag ?? '' });

export interface Like {
  id: string;
  at: number;
  post: Pick<PostRow, 'id' | 'authorId' | 'mediaKeys'>;
}

/** What a likes connection asked for (`like_with_tweet_author.fields`, `expansions`). */
export interface LikeAsk {
  fields: ReadonlySet<string>;
  expansions: ReadonlySet<string>;
}

export function likeAsk(params: Readonly<Record<string, unknown>>): LikeAsk {
  return { fields: new Set(listParam(params['like_with_tweet_author.fields'])), expansions: new Set(listParam(params.expansions)) };
}

/**
 * The liked post's expansions to render for the like's includes, or null when the connection asked for no
 * expansion at all (then nothing is rendered).
 */
export function likedPostExpansions(ask: LikeAsk): Set<string> | null {
  if (!ask.expansions.size) return null;
  const out = new Set<string>();
  if (ask.expansions.has('liked_tweet_author_id')) out.add('author_id');
  if (ask.expansions.has('attachments.media_keys')) out.add('attachments.media_keys');
  return out;
}

/** A like's line (LikeWithPostAuthor); `liked` is the liked post rendered with `likedPostExpansions`. */
export function likeLine(like: Like, ask: LikeAsk, generation: Selection['generation'], liked: Rendered | null): string {
  const data: Record<string, unknown> = { id: like.id };
  // Default fields: id, created_at, liked_tweet_id, tweet_author_id; the others when asked.
  data.created_at = new Date(like.at).toISOString();
  data.liked_tweet_id = like.post.id;
  data.tweet_author_id = like.post.authorId;
  if (ask.fields.has('timestamp_ms')) data.timestamp_ms = like.at;
  if (ask.fields.has('attachments_media_keys') && like.post.mediaKeys?.length) data.attachments = { media_keys: like.post.mediaKeys };
  const msg: Record<string, unknown> = { data };
  if (liked) {
    const includes: Record<string, unknown[]> = {};
    if (ask.expansions.has('liked_tweet_id') && liked.data.length) includes[generation === 'modern' ? 'posts' : 'tweets'] = liked.data;
    if (liked.includes?.users) includes.users = liked.includes.users;
    if (liked.includes?.media) includes.media = liked.includes.media;
    if (Object.keys(includes).length) msg.includes = includes;
  }
  return JSON.stringify(msg) + CRLF;
}

function listParam(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? v.split(',') : [];
}

/** An edited post's place in its edit chain (the `tweet_edit` event). */
export interface EditChain {
  initialId: string;
  ids: string[];
}

export interface ComplianceMessage {
  kind: StreamKind;
  /** The id whose partition carries the message. */
  partitionKey: string;
  line: string;
}

const USER_EVENTS: Readonly<Record<string, string>> = {
  'user.protected': 'user_protect',
  'user.unprotected': 'user_unprotect',
  'user.suspended': 'user_suspend',
  'user.unsuspended': 'user_unsuspend',
  'user.deleted': 'user_delete',
  'user.undeleted': 'user_undelete',
};

/**
 * The compliance or label line of an event (spec shapes: PostComplianceData, UserComplianceData,
 * LikeComplianceSchema, PostLabelData), or null for an event these streams do not carry. `edit` is needed for
 * `post.edited` only: without it (the post is gone) there is no line.
 */
export function complianceMessage(e: DomainEvent, edit: EditChain | null): ComplianceMessage | null {
  const event_at = new Date(e.at).toISOString();
  const line = (data: unknown) => JSON.stringify({ data }) + CRLF;
  switch (e.type) {
    case 'post.deleted':
      return { kind: 'tweets_compliance', partitionKey: e.postId, line: line({ delete: { tweet: { id: e.postId, author_id: e.authorId }, event_at } }) };
    case 'repost.deleted':
      // Un-reposting deletes the repost, a post of the user's own.
      return { kind: 'tweets_compliance', partitionKey: e.repostId, line: line({ delete: { tweet: { id: e.repostId, author_id: e.userId }, event_at } }) };
    case 'post.withheld':
      return {
        kind: 'tweets_compliance',
        partitionKey: e.postId,
        line: line({ withheld: { tweet: { id: e.postId, author_id: e.authorId }, withheld_in_countries: e.countries, event_at } }),
      };
    case 'post.edited':
      if (!edit) return null;
      return {
        kind: 'tweets_compliance',
        partitionKey: e.postId,
        line: line({ tweet_edit: { tweet: { id: e.postId }, event_at, initial_tweet_id: edit.initialId, edit_tweet_ids: edit.ids } }),
      };
    case 'post.labeled': {
      const tweet = { id: e.postId, author_id: e.authorId };
      if (e.label === 'unviewable') {
        return { kind: 'labels', partitionKey: e.postId, line: line({ public_tweet_unviewable: { tweet, event_at, application: e.application } }) };
      }
      const notice: Record<string, unknown> = { tweet, event_type: e.eventType ?? 'misleading', event_at, application: e.application };
      if (e.details !== undefined) notice.details = e.details;
      if (e.labelTitle !== undefined) notice.label_title = e.labelTitle;
      if (e.url !== undefined) notice.extended_details_url = e.url;
      return { kind: 'labels', partitionKey: e.postId, line: line({ public_tweet_notice: notice }) };
    }
    case 'like.deleted':
      return { kind: 'likes_compliance', partitionKey: e.postId, line: line({ delete: { favorite: { id: e.postId, user_id: e.userId }, event_at } }) };
    case 'user.withheld':
      return { kind: 'users_compliance', partitionKey: e.userId, line: line({ user_withheld: { user: { id: e.userId }, withheld_in_countries: e.countries, event_at } }) };
    case 'user.profile.updated':
      return {
        kind: 'users_compliance',
        partitionKey: e.userId,
        line: line({ user_profile_modification: { user: { id: e.userId }, profile_field: e.field, new_value: e.value, event_at } }),
      };
    case 'user.protected':
    case 'user.unprotected':
    case 'user.suspended':
    case 'user.unsuspended':
    case 'user.deleted':
    case 'user.undeleted':
      return { kind: 'users_compliance', partitionKey: e.userId, line: line({ [USER_EVENTS[e.type]!]: { user: { id: e.userId }, event_at } }) };
    default:
      return null;
  }
}

/**
 * One X Activity event on `GET /2/activity/stream`: the envelope webhook delivery posts (delivery/views.ts
 * `activityMessage`), serialized the same way, on one line.
 */
export function activityLine(message: Record<string, unknown>): string {
  return payloadJson(message) + CRLF;
}
