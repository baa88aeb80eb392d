/** The view of a Community (pure): `id` and `name` by default (X's defaults), the rest when asked. */
import type { CommunityRow } from '../data/communities.js';
import { iso } from './present.js';

export function presentCommunity(c: CommunityRow, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, name: c.name };
  if (fields.has('access')) out.access = c.access;
  if (fields.has('created_at')) out.created_at = iso(c.createdAt);
  if (fields.has('description')) out.description = c.description;
  if (fields.has('join_policy')) out.join_policy = c.joinPolicy;
  if (fields.has('member_count')) out.member_count = c.memberCount;
  return out;
}

export const communityFields = (params: Record<string, unknown>): Set<string> =>
  new Set(Array.isArray(params['community.fields']) ? (params['community.fields'] as string[]) : []);
