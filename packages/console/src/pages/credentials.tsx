import type { CredentialsJson } from '@roost/sdk/console';
import { Secret } from '../ui.js';

const LABELS: [keyof CredentialsJson, string][] = [
  ['api_key', 'API key'],
  ['api_key_secret', 'API key secret'],
  ['bearer_token', 'Bearer token'],
  ['client_id', 'OAuth 2.0 client id'],
  ['client_secret', 'OAuth 2.0 client secret'],
  ['access_token', 'Access token'],
  ['access_token_secret', 'Access token secret'],
];

/** Credentials just made, each with a copy button. */
export function CredentialList({ credentials }: { credentials: CredentialsJson }) {
  return (
    <div class="secrets">
      {LABELS.filter(([k]) => credentials[k]).map(([k, label]) => (
        <Secret label={label} value={credentials[k]!} />
      ))}
    </div>
  );
}
