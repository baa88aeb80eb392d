import { useEffect, useState } from 'preact/hooks';
import { PERMISSION_LEVELS, MAX_CALLBACK_URLS, type AppClientType, type AppPermissionLevel, type ConsoleAppJson, type CredentialKind, type CredentialsJson, type UserTokenJson } from '@roost/sdk/console';
import { consoleApi, errorText } from '../api.js';
import { Card, Field, Select } from '../ui.js';
import { CredentialList } from './credentials.js';
import { APP_TYPES } from './apps.js';

const REGENERATE: [CredentialKind, string][] = [
  ['consumer-keys', 'API key and secret'],
  ['bearer-token', 'Bearer token'],
  ['oauth2-client', 'OAuth 2.0 client id and secret'],
  ['access-token', 'Access token and secret'],
];

export function AppPage({ appId, onChanged }: { appId: string; onChanged: () => Promise<void> }) {
  const [app, setApp] = useState<ConsoleAppJson | null>(null);
  const [shown, setShown] = useState<CredentialsJson | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [permission, setPermission] = useState<AppPermissionLevel>('read-write-dm');
  const [type, setType] = useState<AppClientType>('confidential');
  const [callbacks, setCallbacks] = useState('');
  const [tokenUser, setTokenUser] = useState('');
  const [tokenKind, setTokenKind] = useState<'oauth2' | 'oauth1'>('oauth2');
  const [minted, setMinted] = useState<UserTokenJson | null>(null);

  function show(a: ConsoleAppJson) {
    setApp(a);
    setName(a.name);
    setPermission(a.permission);
    setType(a.app_type);
    setCallbacks(a.callback_urls.join('\n'));
  }
  useEffect(() => {
    void consoleApi.getApp(appId).then((r) => show(r.app), (err) => setError(errorText(err)));
  }, [appId]);

  async function act(fn: () => Promise<void>) {
    setError('');
    setNotice('');
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const save = (e: Event) => {
    e.preventDefault();
    return act(async () => {
      const r = await consoleApi.updateApp(appId, {
        name,
        permission,
        app_type: type,
        callback_urls: callbacks.split(/\s+/).filter(Boolean),
      });
      show(r.app);
      if (Object.keys(r.credentials).length) setShown(r.credentials);
      setNotice(r.reauthorization_required ? 'Saved. The permission level changed: every user must authorize the app again.' : 'Saved.');
      await onChanged();
    });
  };

  if (!app) return error ? <p class="error" role="alert">{error}</p> : <p>Loading…</p>;
  return (
    <>
      <h1>{app.name}</h1>
      <p>
        App id {app.id} · API key <code>{app.consumer_key}</code>
      </p>
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {shown && (
        <Card title="New credentials">
          <p class="warn">Shown once. The values they replace stopped working.</p>
          <CredentialList credentials={shown} />
        </Card>
      )}
      <Card title="Keys and tokens">
        <p>Regenerating a credential shows the new value once; the old one stops working at once.</p>
        <ul class="actions">
          {REGENERATE.map(([kind, label]) => (
            <li>
              <button type="button" onClick={() => act(async () => setShown((await consoleApi.regenerate(appId, kind)).credentials))}>
                Regenerate {label}
              </button>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Settings">
        <form onSubmit={save} aria-label="App settings">
          <Field label="App name" value={name} onInput={setName} required />
          <Select
            label="App permissions"
            value={permission}
            options={PERMISSION_LEVELS.map((p) => [p, { read: 'Read', 'read-write': 'Read and write', 'read-write-dm': 'Read, write and Direct Messages' }[p]] as const)}
            onChange={setPermission}
          />
          <Select label="App type" value={type} options={APP_TYPES} onChange={setType} />
          <p class="field">
            <label for="callbacks">Callback URLs (one a line, exact match, at most {MAX_CALLBACK_URLS}; loopback allowed)</label>
            <textarea id="callbacks" rows={4} value={callbacks} onInput={(e) => setCallbacks((e.target as HTMLTextAreaElement).value)} />
          </p>
          <button type="submit">Save settings</button>
        </form>
      </Card>
      <Card title="User tokens for test users">
        <form
          aria-label="Mint a user token"
          onSubmit={(e) => {
            e.preventDefault();
            return act(async () => setMinted(await consoleApi.mintUserToken(appId, { user: tokenUser, kind: tokenKind })));
          }}
        >
          <Field label="Demo user (@username or id)" value={tokenUser} onInput={setTokenUser} required />
          <Select label="Token kind" value={tokenKind} options={[['oauth2', 'OAuth 2.0 (every scope)'], ['oauth1', 'OAuth 1.0a (app permission)']] as const} onChange={setTokenKind} />
          <button type="submit">Mint token</button>
        </form>
        {minted && <CredentialList credentials={{ access_token: minted.access_token, access_token_secret: minted.access_token_secret }} />}
      </Card>
      <Card title="Danger zone">
        <button
          type="button"
          class="danger"
          onClick={() =>
            act(async () => {
              if (!confirm(`Delete ${app.name} and all its credentials?`)) return;
              await consoleApi.deleteApp(appId);
              await onChanged();
              location.hash = '#/apps';
            })
          }
        >
          Delete app
        </button>
      </Card>
    </>
  );
}
