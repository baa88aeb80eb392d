import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleAppJson, DeveloperJson } from '@roost/sdk/console';
import { consoleApi } from './api.js';
import { AuthPage } from './pages/auth.js';
import { AppsPage } from './pages/apps.js';
import { AppPage } from './pages/app.js';
import { UsagePage } from './pages/usage.js';
import { StreamsPage } from './pages/streams.js';
import { WorldPage } from './pages/world.js';
import { ExplorerPage } from './pages/explorer.js';
import './style.css';

/** Hash routes: #/apps, #/apps/:id, #/usage, #/streams, #/world, #/explorer. */
function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

const NAV: [string, string][] = [
  ['apps', 'Apps'],
  ['usage', 'Usage'],
  ['streams', 'Streams'],
  ['world', 'Demo world'],
  ['explorer', 'API explorer'],
];

function Shell() {
  const [developer, setDeveloper] = useState<DeveloperJson | null | undefined>(undefined);
  const [apps, setApps] = useState<ConsoleAppJson[]>([]);
  const route = useRoute();
  const reloadApps = async () => setApps((await consoleApi.listApps()).data);

  useEffect(() => {
    void consoleApi.session().then((s) => setDeveloper(s.developer));
  }, []);
  useEffect(() => {
    if (developer) void reloadApps();
  }, [developer]);

  const [page = 'apps', id] = route;
  const title = developer ? (NAV.find(([k]) => k === page)?.[1] ?? 'Apps') : 'Sign in';
  useEffect(() => {
    document.title = `${title} · Roost Developer Console`;
  }, [title]);

  if (developer === undefined) return <p class="loading">Loading…</p>;
  if (developer === null) return <AuthPage onSignedIn={setDeveloper} />;

  return (
    <div class="shell">
      <header>
        <a class="brand" href="#/apps">Roost Developer Console</a>
        <nav aria-label="Console">
          {NAV.map(([k, label]) => (
            <a href={`#/${k}`} aria-current={k === page ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">@{developer.username}</span>
        <button
          type="button"
          onClick={async () => {
            await consoleApi.signOut();
            setDeveloper(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {page === 'apps' && id && <AppPage appId={id} onChanged={reloadApps} />}
        {page === 'apps' && !id && <AppsPage apps={apps} onChanged={reloadApps} />}
        {page === 'usage' && <UsagePage apps={apps} />}
        {page === 'streams' && <StreamsPage apps={apps} />}
        {page === 'world' && <WorldPage apps={apps} />}
        {page === 'explorer' && <ExplorerPage apps={apps} />}
      </main>
    </div>
  );
}

render(<Shell />, document.getElementById('app')!);
