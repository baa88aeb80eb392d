import { useState } from 'preact/hooks';
import type { AppClientType, ConsoleAppJson, CreatedAppJson } from '@roost/sdk/console';
import { consoleApi, errorText } from '../api.js';
import { Card, Field, Select } from '../ui.js';
import { CredentialList } from './credentials.js';

export const APP_TYPES = [
  ['confidential', 'Web app or automated bot (confidential client)'],
  ['public', 'Native app or single-page app (public client)'],
] as const;

export function AppsPage({ apps, onChanged }: { apps: ConsoleAppJson[]; onChanged: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<AppClientType>('confidential');
  const [created, setCreated] = useState<CreatedAppJson | null>(null);
  const [error, setError] = useState('');

  async function create(e: Event) {
    e.preventDefault();
    setError('');
    try {
      setCreated(await consoleApi.createApp({ name, app_type: type }));
      setName('');
      await onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <>
      <h1>Apps</h1>
      {created && (
        <Card title={`Credentials of ${created.app.name}`}>
          <p class="warn">These are shown once. Copy them now: Roost keeps only their hashes (secrets sealed).</p>
          <CredentialList credentials={created.credentials} />
          <p>
            <a href={`#/apps/${created.app.id}`}>Open {created.app.name}</a>
          </p>
        </Card>
      )}
      <Card title="Create an app">
        <form onSubmit={create} aria-label="Create an app">
          <Field label="App name" value={name} onInput={setName} required />
          <Select label="App type" value={type} options={APP_TYPES} onChange={setType} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit">Create app</button>
        </form>
      </Card>
      <Card title="Your apps">
        {apps.length === 0 ? (
          <p>No apps yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">App id</th>
                <th scope="col">API key</th>
                <th scope="col">Permission</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {apps.map((a) => (
                <tr>
                  <td>
                    <a href={`#/apps/${a.id}`}>{a.name}</a>
                  </td>
                  <td>{a.id}</td>
                  <td>
                    <code>{a.consumer_key}</code>
                  </td>
                  <td>{a.permission}</td>
                  <td>{a.app_type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
