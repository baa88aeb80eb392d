import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * OAuth 1.0a: consumer secrets sealed (auth/secret-box.ts) next to the existing hash, and one table for request
 * and access tokens. Token keys are stored as SHA-256 digests (lookup only); token secrets are sealed, because
 * HMAC-SHA1 verification needs them in clear.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;
  // Null for apps created before this migration: OAuth 1.0a needs `roost apps rotate-secret` for them.
  await db.schema.alterTable('apps').addColumn('consumer_secret_enc', 'text').execute();

  await db.schema
    .createTable('oauth1_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    // 'request' (temporary credentials) | 'access' (token credentials)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_id', big, (c) => c.notNull().references('apps.id'))
    // request: null until a user approves; access: the user
    .addColumn('user_id', big, (c) => c.references('users.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    // 'read' | 'read-write' | 'read-write-dm': the level granted (never above the app's)
    .addColumn('permission', 'text', (c) => c.notNull())
    .addColumn('callback', 'text')
    .addColumn('verifier_hash', 'text')
    .addColumn('expires_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth1_tokens_user_app').on('oauth1_tokens').columns(['user_id', 'app_id', 'kind']).execute();
  await db.schema.createIndex('oauth1_tokens_app').on('oauth1_tokens').columns(['app_id', 'kind']).execute();
}
