import { PROBLEMS } from '../errors.js';

/** Partial errors (Problems) that ride inside a 200 next to `data` (FACTS §1.2). */
export type Problem = Record<string, unknown>;

/** What a Problem names: X's resource types, and Roost's for Direct Messages, Chats, Broadcasts, Articles, News stories and Community Notes. */
export type ResourceType =
  | 'tweet'
  | 'user'
  | 'media'
  | 'list'
  | 'dm_event'
  | 'dm_conversation'
  | 'chat_conversation'
  | 'space'
  | 'community'
  | 'scheduled_broadcast'
  | 'broadcast'
  | 'article'
  | 'news'
  | 'note';

export function notFound(resourceType: ResourceType, parameter: string, value: string, section?: 'data' | 'includes'): Problem {
  return {
    value,
    detail: `Could not find ${resourceType} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: `${PROBLEMS}resource-not-found`,
    ...(section === 'includes' ? { section } : {}),
  };
}

const AUTHORIZATION_NOUN = { tweet: 'Tweet', user: 'user', list: 'List' } as const;

export function notAuthorized(resourceType: 'tweet' | 'user' | 'list', parameter: string, value: string, section: 'data' | 'includes'): Problem {
  const detail = `Sorry, you are not authorized to see the ${AUTHORIZATION_NOUN[resourceType]} with ${parameter}: [${value}].`;
  return {
    value,
    detail,
    title: 'Authorization Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    section,
    type: `${PROBLEMS}not-authorized-for-resource`,
  };
}

export function suspended(parameter: string, value: string): Problem {
  return {
    value,
    detail: `User has been suspended: [${value}].`,
    title: 'Forbidden',
    resource_type: 'user',
    parameter,
    resource_id: value,
    type: `${PROBLEMS}resource-not-found`,
  };
}

export function fieldNotAuthorized(resourceType: 'tweet' | 'user' | 'media', parameter: string, field: string, id: string, section: 'data' | 'includes'): Problem {
  const noun = resourceType === 'tweet' ? 'Tweet' : resourceType === 'user' ? 'User' : 'Media';
  return {
    value: field,
    detail: `Sorry, you are not authorized to access '${field}' on a ${noun}.`,
    title: 'Field Authorization Error',
    resource_type: resourceType,
    parameter,
    resource_id: id,
    field,
    section,
    type: `${PROBLEMS}not-authorized-for-field`,
  };
}

/**
 * The Problem for a post the rules hid (`missing` → Not Found, `unauthorized` → Authorization Error), named by
 * the parameter or expansion that asked for it.
 */
export function postProblem(verdict: 'missing' | 'unauthorized', parameter: string, id: string, section: 'data' | 'includes' = 'data'): Problem {
  return verdict === 'missing' ? notFound('tweet', parameter, id, section) : notAuthorized('tweet', parameter, id, section);
}

/** The Problem for a user the rules hid, named by the parameter and the key (id or username) the client sent. */
export function userProblem(verdict: 'missing' | 'suspended' | 'unauthorized', parameter: string, key: string): Problem {
  if (verdict === 'missing') return notFound('user', parameter, key);
  return verdict === 'suspended' ? suspended(parameter, key) : notAuthorized('user', parameter, key, 'data');
}

/** The Problem for a list the rules hid: missing (private lists of others included) → Not Found, else Authorization Error. */
export function listProblem(verdict: 'missing' | 'unauthorized', parameter: string, id: string): Problem {
  return verdict === 'missing' ? notFound('list', parameter, id) : notAuthorized('list', parameter, id, 'data');
}

/** A resource that exists but cannot take the request now (a broadcast that is not live): the spec's ResourceUnavailableProblem. */
export function unavailable(resourceType: ResourceType, id: string, detail: string): Problem {
  return { title: 'Resource Unavailable', detail, resource_type: resourceType, resource_id: id, type: `${PROBLEMS}resource-unavailable` };
}
