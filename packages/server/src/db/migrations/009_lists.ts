import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Lists (FACTS §8.3): the list with its owner, name, description, privacy and two counters the write path keeps
 * exact (`member_count`, `follower_count`); members, followers and pins as (user, list) edges stamped with the
 * time they were made, indexed for walking both ways newest first.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('lists')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('owner_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('member_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('follower_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lists_owner').on('lists').columns(['owner_id', 'id']).execute();

  // [table, the edge's first column (its key's order), the second, which of them is the list]
  for (const [table, a, b] of [
    ['list_members', 'list_id', 'member_id'],
    ['list_followers', 'follower_id', 'list_id'],
    ['list_pins', 'user_id', 'list_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(a, big, (c) => c.notNull().references(a === 'list_id' ? 'lists.id' : 'users.id'))
      .addColumn(b, big, (c) => c.notNull().references(b === 'list_id' ? 'lists.id' : 'users.id'))
      .addColumn('created_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [a, b])
      .execute();
    await db.schema.createIndex(`${table}_by_${a}`).on(table).columns([a, 'created_at', b]).execute();
    await db.schema.createIndex(`${table}_by_${b}`).on(table).columns([b, 'created_at', a]).execute();
  }
}
