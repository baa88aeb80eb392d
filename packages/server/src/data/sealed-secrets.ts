import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';

/** One value stored sealed (auth/secret-box.ts), with what identifies its row. */
export type SealedValue =
  | { kind: 'consumer'; appId: string; sealed: string }
  | { kind: 'token'; tokenHash: string; sealed: string }
  | { kind: 'setting'; key: string; sealed: string };

/** Every sealed value of the database, read and rewritten together when the secret key changes. */
export class SealedSecrets {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async all(): Promise<SealedValue[]> {
    const apps = await this.db.selectFrom('apps').select(['id', 'consumer_secret_enc']).where('consumer_secret_enc', 'is not', null).execute();
    const tokens = await this.db.selectFrom('oauth1_tokens').select(['token_hash', 'secret_enc']).execute();
    const settings = await this.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', '%_enc').execute();
    return [
      ...apps.map((a) => ({ kind: 'consumer' as const, appId: String(a.id), sealed: a.consumer_secret_enc! })),
      ...tokens.map((t) => ({ kind: 'token' as const, tokenHash: t.token_hash, sealed: t.secret_enc })),
      ...settings.map((s) => ({ kind: 'setting' as const, key: s.key, sealed: s.value })),
    ];
  }

  async write(v: SealedValue): Promise<void> {
    if (v.kind === 'consumer') await this.db.updateTable('apps').set({ consumer_secret_enc: v.sealed }).where('id', '=', this.d.idParam(v.appId)).execute();
    else if (v.kind === 'token') await this.db.updateTable('oauth1_tokens').set({ secret_enc: v.sealed }).where('token_hash', '=', v.tokenHash).execute();
    else await this.putSetting(v.key, v.sealed);
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  async deleteSetting(key: string): Promise<void> {
    await this.db.deleteFrom('settings').where('key', '=', key).execute();
  }
}
