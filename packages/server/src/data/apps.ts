import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { num, str, strOrNull, type AppRow, type TokenRow } from './rows.js';

/** Apps, their hashed credentials and hashed tokens, and server-wide settings. */
export class Apps {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async insertApp(a: AppRow): Promise<void> {
    await this.db
      .insertInto('apps')
      .values({
        id: this.d.idParam(a.id),
        name: a.name,
        owner_user_id: this.d.idParam(a.ownerUserId),
        consumer_key: a.consumerKey,
        consumer_secret_hash: a.consumerSecretHash,
        bearer_generation: a.bearerGeneration,
        permission: a.permission,
        created_at: a.createdAt,
      })
      .execute();
  }

  async byConsumerKey(key: string): Promise<AppRow | undefined> {
    const r = await this.db.selectFrom('apps').selectAll().where('consumer_key', '=', key).executeTakeFirst();
    return r && appFromDb(r);
  }

  async byId(id: string): Promise<AppRow | undefined> {
    const r = await this.db.selectFrom('apps').selectAll().where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r && appFromDb(r);
  }

  async first(): Promise<AppRow | undefined> {
    const r = await this.db.selectFrom('apps').selectAll().orderBy('id', 'asc').limit(1).executeTakeFirst();
    return r && appFromDb(r);
  }

  /** Every app, oldest first. */
  async list(): Promise<AppRow[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('id', 'asc').execute();
    return rows.map(appFromDb);
  }

  /** The apps an account owns, oldest first. */
  async listByOwner(ownerUserId: string): Promise<AppRow[]> {
    const rows = await this.db.selectFrom('apps').selectAll().where('owner_user_id', '=', this.d.idParam(ownerUserId)).orderBy('id', 'asc').execute();
    return rows.map(appFromDb);
  }

  async rename(appId: string, name: string): Promise<void> {
    await this.db.updateTable('apps').set({ name }).where('id', '=', this.d.idParam(appId)).execute();
  }

  /**
   * Deletes an app with every credential and setting hanging off it (tokens of both OAuth versions, its OAuth 2.0
   * client, codes and refresh tokens, rate-limit overrides, stream rules). Usage and billing history stay: they
   * belong to the account. Run it in a transaction.
   */
  async deleteApp(appId: string): Promise<void> {
    const id = this.d.idParam(appId);
    await this.db.deleteFrom('tokens').where('app_id', '=', id).execute();
    await this.db.deleteFrom('oauth1_tokens').where('app_id', '=', id).execute();
    await this.db.deleteFrom('oauth2_codes').where('app_id', '=', id).execute();
    await this.db.deleteFrom('oauth2_refresh_tokens').where('app_id', '=', id).execute();
    await this.db.deleteFrom('oauth2_clients').where('app_id', '=', id).execute();
    await this.db.deleteFrom('rate_limit_overrides').where('app_id', '=', id).execute();
    await this.db.deleteFrom('stream_rules').where('app_id', '=', id).execute();
    await this.db.deleteFrom('apps').where('id', '=', id).execute();
  }

  /**
   * Revokes every user authorization of the app — OAuth 2.0 access and refresh tokens, OAuth 1.0a access tokens —
   * after a change of its permission level, so users authorize again at the new level.
   */
  async revokeUserAuthorizations(appId: string): Promise<void> {
    const id = this.d.idParam(appId);
    await this.db.deleteFrom('tokens').where('app_id', '=', id).where('kind', '=', 'user').execute();
    await this.db.deleteFrom('oauth2_refresh_tokens').where('app_id', '=', id).execute();
    await this.db.deleteFrom('oauth1_tokens').where('app_id', '=', id).where('kind', '=', 'access').execute();
  }

  /** Pins an app's consumer key (fixed credentials for CI). */
  async setConsumerKey(appId: string, key: string): Promise<void> {
    await this.db.updateTable('apps').set({ consumer_key: key }).where('id', '=', this.d.idParam(appId)).execute();
  }

  async bumpBearerGeneration(appId: string): Promise<void> {
    await this.db
      .updateTable('apps')
      .set((e) => ({ bearer_generation: e('bearer_generation', '+', 1) }))
      .where('id', '=', this.d.idParam(appId))
      .execute();
  }

  /** Inserts or replaces a token row (idempotent for the fixed CI tokens). */
  async putToken(t: TokenRow): Promise<void> {
    const values = {
      token_hash: t.tokenHash,
      kind: t.kind,
      app_id: this.d.idParam(t.appId),
      user_id: t.userId === null ? null : this.d.idParam(t.userId),
      scopes: t.scopes.join(' '),
      expires_at: t.expiresAt,
      created_at: t.createdAt,
    };
    await this.db
      .insertInto('tokens')
      .values(values)
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet({
          kind: values.kind,
          app_id: values.app_id,
          user_id: values.user_id,
          scopes: values.scopes,
          expires_at: values.expires_at,
        }),
      )
      .execute();
  }

  async tokenByHash(hash: string): Promise<TokenRow | undefined> {
    const r = await this.db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!r) return undefined;
    return {
      tokenHash: r.token_hash,
      kind: r.kind as TokenRow['kind'],
      appId: str(r.app_id),
      userId: strOrNull(r.user_id),
      scopes: r.scopes ? r.scopes.split(' ') : [],
      expiresAt: r.expires_at === null ? null : num(r.expires_at),
      createdAt: num(r.created_at),
    };
  }

  /** Whether the user holds a token of the app that is still good at `now` (the user authorized the app). */
  async hasUserToken(userId: string, appId: string, now: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('tokens')
      .select('token_hash')
      .where('user_id', '=', this.d.idParam(userId))
      .where('app_id', '=', this.d.idParam(appId))
      .where('kind', '=', 'user')
      .where((e) => e.or([e('expires_at', 'is', null), e('expires_at', '>', now)]))
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  async deleteAppBearerTokens(appId: string): Promise<number> {
    const r = await this.db
      .deleteFrom('tokens')
      .where('app_id', '=', this.d.idParam(appId))
      .where('kind', '=', 'app')
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  /** Sets the value only if absent; returns whatever is stored afterwards (first writer wins across nodes). */
  async ensureSetting(key: string, value: string): Promise<string> {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await this.getSetting(key))!;
  }
}

function appFromDb(r: any): AppRow {
  return {
    id: str(r.id),
    name: r.name,
    ownerUserId: str(r.owner_user_id),
    consumerKey: r.consumer_key,
    consumerSecretHash: r.consumer_secret_hash,
    bearerGeneration: num(r.bearer_generation),
    permission: r.permission,
    createdAt: num(r.created_at),
  };
}
