import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * OAuth 2.0 Authorization Code with PKCE (FACTS §7.3): one client per app, short-lived authorization codes and
 * rotating refresh tokens. Access tokens are rows of `tokens` (kind 'user', with scopes and expiry). Codes and
 * refresh tokens are stored as SHA-256 digests only.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;

  await db.schema
    .createTable('oauth2_clients')
    .addColumn('app_id', big, (c) => c.primaryKey().references('apps.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    // 'public' (native / single-page apps: no secret) or 'confidential' (web apps, bots: Basic auth).
    .addColumn('client_type', 'text', (c) => c.notNull())
    .addColumn('client_secret_hash', 'text')
    // JSON array of exact-match callback URLs.
    .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth2_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', big, (c) => c.notNull().references('apps.id'))
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('challenge_method', 'text', (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth2_codes_expiry').on('oauth2_codes').column('expires_at').execute();

  await db.schema
    .createTable('oauth2_refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', big, (c) => c.notNull().references('apps.id'))
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', big)
    // 1 once rotated (used for a refresh) or revoked: it never works again.
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth2_refresh_app_user').on('oauth2_refresh_tokens').columns(['app_id', 'user_id']).execute();
}
