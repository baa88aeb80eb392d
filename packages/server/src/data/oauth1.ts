import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { num, numOrNull, str, strOrNull } from './rows.js';

export type AppPermission = 'read' | 'read-write' | 'read-write-dm';

/** An OAuth 1.0a request token (temporary credentials) or access token (token credentials), as stored. */
export interface OAuth1TokenRow {
  tokenHash: string;
  kind: 'request' | 'access';
  appId: string;
  userId: string | null;
  /** Sealed with auth/secret-box.ts (context: `oauth1-token:<tokenHash>`). */
  secretEnc: string;
  permission: AppPermission;
  callback: string | null;
  verifierHash: string | null;
  expiresAt: number | null;
  createdAt: number;
}

/** What OAuth 1.0a verification needs of an app. */
export interface OAuth1App {
  id: string;
  name: string;
  consumerKey: string;
  consumerSecretEnc: string | null;
  permission: AppPermission;
}

/** OAuth 1.0a credentials: sealed consumer secrets and the token table. */
export class OAuth1Store {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async appByConsumerKey(key: string): Promise<OAuth1App | undefined> {
    return this.app('consumer_key', key);
  }

  async appById(id: string): Promise<OAuth1App | undefined> {
    return this.app('id', this.d.idParam(id));
  }

  private async app(by: 'id' | 'consumer_key', value: string | bigint): Promise<OAuth1App | undefined> {
    const r = await this.db
      .selectFrom('apps')
      .select(['id', 'name', 'consumer_key', 'consumer_secret_enc', 'permission'])
      .where(by, '=', value)
      .executeTakeFirst();
    return r && { id: str(r.id), name: r.name, consumerKey: r.consumer_key, consumerSecretEnc: r.consumer_secret_enc, permission: r.permission as AppPermission };
  }

  /** Replaces an app's consumer secret (sealed for OAuth 1.0a, hashed for Basic auth on /oauth2/token). */
  async setConsumerSecret(appId: string, sealed: string, hash: string): Promise<void> {
    await this.db
      .updateTable('apps')
      .set({ consumer_secret_enc: sealed, consumer_secret_hash: hash })
      .where('id', '=', this.d.idParam(appId))
      .execute();
  }

  async setAppPermission(appId: string, permission: AppPermission): Promise<void> {
    await this.db.updateTable('apps').set({ permission }).where('id', '=', this.d.idParam(appId)).execute();
  }

  async insertToken(t: OAuth1TokenRow): Promise<void> {
    await this.db
      .insertInto('oauth1_tokens')
      .values({
        token_hash: t.tokenHash,
        kind: t.kind,
        app_id: this.d.idParam(t.appId),
        user_id: t.userId === null ? null : this.d.idParam(t.userId),
        secret_enc: t.secretEnc,
        permission: t.permission,
        callback: t.callback,
        verifier_hash: t.verifierHash,
        expires_at: t.expiresAt,
        created_at: t.createdAt,
      })
      .execute();
  }

  async tokenByHash(hash: string): Promise<OAuth1TokenRow | undefined> {
    const r = await this.db.selectFrom('oauth1_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!r) return undefined;
    return {
      tokenHash: r.token_hash,
      kind: r.kind as OAuth1TokenRow['kind'],
      appId: str(r.app_id),
      userId: strOrNull(r.user_id),
      secretEnc: r.secret_enc,
      permission: r.permission as AppPermission,
      callback: r.callback,
      verifierHash: r.verifier_hash,
      expiresAt: numOrNull(r.expires_at),
      createdAt: num(r.created_at),
    };
  }

  /** Records a user's approval of a request token; false if it was already approved or is gone. */
  async approveRequestToken(hash: string, userId: string, verifierHash: string): Promise<boolean> {
    const r = await this.db
      .updateTable('oauth1_tokens')
      .set({ user_id: this.d.idParam(userId), verifier_hash: verifierHash })
      .where('token_hash', '=', hash)
      .where('kind', '=', 'request')
      .where('verifier_hash', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Deletes a token; true only for the caller that actually removed it (single use under concurrency). */
  async deleteToken(hash: string, kind: OAuth1TokenRow['kind']): Promise<boolean> {
    const r = await this.db.deleteFrom('oauth1_tokens').where('token_hash', '=', hash).where('kind', '=', kind).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async deleteUserAccessTokens(userId: string, appId: string): Promise<number> {
    const r = await this.db
      .deleteFrom('oauth1_tokens')
      .where('user_id', '=', this.d.idParam(userId))
      .where('app_id', '=', this.d.idParam(appId))
      .where('kind', '=', 'access')
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async hasAccessToken(userId: string, appId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('oauth1_tokens')
      .select('token_hash')
      .where('user_id', '=', this.d.idParam(userId))
      .where('app_id', '=', this.d.idParam(appId))
      .where('kind', '=', 'access')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Drops request tokens that expired before `now` (called opportunistically when new ones are issued). */
  async purgeExpiredRequestTokens(now: number): Promise<void> {
    await this.db.deleteFrom('oauth1_tokens').where('kind', '=', 'request').where('expires_at', '<', now).execute();
  }
}
