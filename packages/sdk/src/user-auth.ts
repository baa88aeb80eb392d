/**
 * The `Authorization` header of a user-context call: an OAuth 1.0a signature, or the OAuth 2.0 user token, refreshed first when it is about to expire and a refresh token
 * is present.
 */
import type { BaseClient as Client, CallSpec } from './base.js';

const OAUTH1 = 4;

export async function userAuthorization(client: Client, spec: CallSpec, url: string, mode: number): Promise<string> {
  if (mode === OAUTH1) return client.oauth1!.buildRequestHeader(spec.method, url, spec.contentType === 'application/x-www-form-urlencoded' ? spec.body ?? '' : '');
  const o2 = client.oauth2;
  if (o2?.getToken()?.refresh_token && o2.isTokenExpired()) await client.refreshUserToken();
  return `Bearer ${client.accessToken}`;
}
