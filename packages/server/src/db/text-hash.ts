/**
 * The stored `posts.text_hash` (migration 018): FNV-1a over the text's UTF-16 code units, as a signed 32-bit
 * integer (an `integer` column in both SQLite and PostgreSQL). It narrows the duplicate-content check to the few
 * posts of an author with the same hash before their texts are compared, so collisions cost a comparison, never a
 * wrong answer. It is a storage format: changing it needs a migration that hashes every stored text again.
 */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
