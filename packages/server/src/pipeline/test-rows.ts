/** Rows for the pipeline's unit tests: every column at a plain default, overridable. */
import { newPostRow, newUserRow, type PostRow, type UserRow } from '../data/rows.js';

const T0 = 1_700_000_000_000;

export function testUser(id: string, over: Partial<UserRow> = {}): UserRow {
  return { ...newUserRow(id, `user${id}`, T0), name: `User ${id}`, profileImageUrl: `https://img.example/${id}.png`, ...over };
}

export function testPost(id: string, authorId: string, over: Partial<PostRow> = {}): PostRow {
  return { ...newPostRow(id, authorId, T0), text: `post ${id}`, lang: 'en', ...over };
}
