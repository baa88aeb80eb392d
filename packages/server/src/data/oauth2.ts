import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database, OAuth2ClientsTable } from '../db/tables.js';
import { json, num, str, strOrNull } from './rows.js';

export type ClientType = 'public' | 'confidential';
export type ChallengeMethod = 'S256' | 'plain';

export interface OAuth2ClientRow {
  appId: string;
  clientId: string;
  clientType: ClientType;
  clientSecretHash: string | null;
  redirectUris: string[];
  createdAt: number;
}

export interface AuthCodeRow {
  codeHash: string;
  appId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  codeChallenge: string;
  challengeMethod: ChallengeMethod;
  expiresAt: number;
  used: boolean;
  createdAt: number;
}

export interface RefreshTokenRow {
  tokenHash: string;
  appId: string;
  userId: string;
  scopes: string[];
  expiresAt: number | null;
  revoked: boolean;
  createdAt: number;
}

const scopesOf = (v: unknown): string[] => (v ? String(v).split(' ').filter(Boolean) : []);

/** OAuth 2.0 clients, authorization codes and refresh tokens (all secrets as digests). */
export class OAuth2 {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  /** Inserts or replaces the app's client settings (one client per app). */
  async putClient(c: OAuth2ClientRow): Promise<void> {
    const values = {
      app_id: this.d.idParam(c.appId),
      client_id: c.clientId,
      client_type: c.clientType,
      client_secret_hash: c.clientSecretHash,
      redirect_uris: JSON.stringify(c.redirectUris),
      created_at: c.createdAt,
    };
    await this.db
      .insertInto('oauth2_clients')
      .values(values)
      .onConflict((oc) =>
        oc.column('app_id').doUpdateSet({
          client_id: values.client_id,
          client_type: values.client_type,
          client_secret_hash: values.client_secret_hash,
          redirect_uris: values.redirect_uris,
        }),
      )
      .execute();
  }

  async clientById(clientId: string): Promise<OAuth2ClientRow | undefined> {
    const r = await this.db.selectFrom('oauth2_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return r && clientFromDb(r);
  }

  async clientOfApp(appId: string): Promise<OAuth2ClientRow | undefined> {
    const r = await this.db.selectFrom('oauth2_clients').selectAll().where('app_id', '=', this.d.idParam(appId)).executeTakeFirst();
    return r && clientFromDb(r);
  }

  async insertCode(c: AuthCodeRow): Promise<void> {
    await this.db
      .insertInto('oauth2_codes')
      .values({
        code_hash: c.codeHash,
        app_id: this.d.idParam(c.appId),
        user_id: this.d.idParam(c.userId),
        scopes: c.scopes.join(' '),
        redirect_uri: c.redirectUri,
        code_challenge: c.codeChallenge,
        challenge_method: c.challengeMethod,
        expires_at: c.expiresAt,
        used: c.used ? 1 : 0,
        created_at: c.createdAt,
      })
      .execute();
  }

  async codeByHash(hash: string): Promise<AuthCodeRow | undefined> {
    const r = await this.db.selectFrom('oauth2_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
    if (!r) return undefined;
    return {
      codeHash: r.code_hash,
      appId: str(r.app_id),
      userId: str(r.user_id),
      scopes: scopesOf(r.scopes),
      redirectUri: r.redirect_uri,
      codeChallenge: r.code_challenge,
      challengeMethod: r.challenge_method as ChallengeMethod,
      expiresAt: num(r.expires_at),
      used: Number(r.used) === 1,
      createdAt: num(r.created_at),
    };
  }

  /** Marks a code used; true only for the one caller that flipped it (single use under concurrency). */
  async consumeCode(hash: string): Promise<boolean> {
    const r = await this.db.updateTable('oauth2_codes').set({ used: 1 }).where('code_hash', '=', hash).where('used', '=', 0).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Drops codes that expired before `before` (they can never be redeemed). */
  async deleteExpiredCodes(before: number): Promise<void> {
    await this.db.deleteFrom('oauth2_codes').where('expires_at', '<', before).execute();
  }

  async insertRefreshToken(t: RefreshTokenRow): Promise<void> {
    await this.db
      .insertInto('oauth2_refresh_tokens')
      .values({
        token_hash: t.tokenHash,
        app_id: this.d.idParam(t.appId),
        user_id: this.d.idParam(t.userId),
        scopes: t.scopes.join(' '),
        expires_at: t.expiresAt,
        revoked: t.revoked ? 1 : 0,
        created_at: t.createdAt,
      })
      .execute();
  }

  async refreshTokenByHash(hash: string): Promise<RefreshTokenRow | undefined> {
    const r = await this.db.selectFrom('oauth2_refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!r) return undefined;
    return {
      tokenHash: r.token_hash,
      appId: str(r.app_id),
      userId: str(r.user_id),
      scopes: scopesOf(r.scopes),
      expiresAt: r.expires_at === null ? null : num(r.expires_at),
      revoked: Number(r.revoked) === 1,
      createdAt: num(r.created_at),
    };
  }

  /** Rotates or revokes a refresh token; true only for the one caller that flipped it. */
  async revokeRefreshToken(hash: string): Promise<boolean> {
    const r = await this.db
      .updateTable('oauth2_refresh_tokens')
      .set({ revoked: 1 })
      .where('token_hash', '=', hash)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Deletes one user access token of an app (revocation); true when a row went. */
  async deleteUserToken(hash: string, appId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('tokens')
      .where('token_hash', '=', hash)
      .where('kind', '=', 'user')
      .where('app_id', '=', this.d.idParam(appId))
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}

function clientFromDb(r: OAuth2ClientsTable): OAuth2ClientRow {
  return {
    appId: str(r.app_id),
    clientId: r.client_id,
    clientType: r.client_type as ClientType,
    clientSecretHash: strOrNull(r.client_secret_hash),
    redirectUris: json<string[]>(r.redirect_uris) ?? [],
    createdAt: num(r.created_at),
  };
}
