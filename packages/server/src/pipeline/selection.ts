import { expansionValueRenames, fieldValueRenames, type Generation } from '@roost/contract';

/**
 * What a request asked to see: fields per object type and expansions, normalized to the classic names used
 * inside Roost, plus the name generation the response must speak (FACTS §2.4).
 */
export interface Selection {
  generation: Generation;
  post: Set<string>;
  user: Set<string>;
  media: Set<string>;
  poll: Set<string>;
  place: Set<string>;
  list: Set<string>;
  expansions: Set<string>;
}

const classicField = (v: string) => fieldValueRenames[v] ?? v;
const classicExpansion = (v: string) => expansionValueRenames[v] ?? v;
const modernFieldNames = new Set(Object.keys(fieldValueRenames));
const modernExpansionNames = new Set(Object.keys(expansionValueRenames));

export type ListParams = Readonly<Record<string, unknown>>;

export function selectionFrom(params: ListParams): Selection {
  const list = (k: string): string[] => (Array.isArray(params[k]) ? (params[k] as string[]) : []);
  const postModern = list('post.fields');
  const postClassic = list('tweet.fields');
  const expansions = list('expansions');
  const userFields = list('user.fields');
  const modern =
    (params['post.fields'] !== undefined && params['tweet.fields'] === undefined) ||
    expansions.some((e) => modernExpansionNames.has(e)) ||
    postModern.some((f) => modernFieldNames.has(f)) ||
    userFields.some((f) => modernFieldNames.has(f));
  return {
    generation: modern ? 'modern' : 'classic',
    post: new Set([...postClassic, ...postModern].map(classicField)),
    user: new Set(userFields.map(classicField)),
    media: new Set(list('media.fields')),
    poll: new Set(list('poll.fields')),
    place: new Set(list('place.fields')),
    list: new Set(list('list.fields')),
    expansions: new Set(expansions.map(classicExpansion)),
  };
}

export const emptySelection = (): Selection => selectionFrom({});
