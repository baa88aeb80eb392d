import { useEffect, useState } from 'preact/hooks';
import type { ConsoleAppJson, WorldUserJson } from '@roost/sdk/console';
import { consoleApi, errorText, userClient, withApp } from '../api.js';
import { AppPicker, Card, Select } from '../ui.js';

interface Profile {
  id: string;
  username: string;
  name: string;
  description?: string;
  publicMetrics?: { followersCount?: number; followingCount?: number; tweetCount?: number };
}
interface Post {
  id: string;
  text: string;
  createdAt?: string;
}

export function WorldPage({ apps }: { apps: ConsoleAppJson[] }) {
  const [appId, setAppId] = useState(apps[0]?.id ?? '');
  const [users, setUsers] = useState<WorldUserJson[]>([]);
  const [selected, setSelected] = useState('');
  const [profile, setProfile] = useState<Profile | null>(null);
  const [posts, setPosts] = useState<Post[]>([]);
  const [author, setAuthor] = useState('');
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    void consoleApi.worldUsers().then((r) => {
      setUsers(r.data);
      setSelected((s) => s || r.data[0]?.username || '');
      setAuthor((s) => s || r.data[0]?.username || '');
    });
  }, []);
  useEffect(() => {
    if (!appId && apps[0]) setAppId(apps[0].id);
  }, [apps]);

  const load = async (username: string) => {
    if (!username || !appId) return;
    try {
      const u = await withApp(appId, (c) => c.users.getByUsername(username, { userFields: ['description', 'public_metrics'] }));
      setProfile(u.data as Profile);
      const t = await withApp(appId, (c) => c.users.getPosts(u.data!.id!, { maxResults: 10, tweetFields: ['created_at'] }));
      setPosts((t.data ?? []) as Post[]);
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    void load(selected);
  }, [selected, appId]);

  async function post(e: Event) {
    e.preventDefault();
    setError('');
    setStatus('');
    try {
      const c = await userClient(appId, author);
      const r = await c.posts.create({ text });
      setStatus(`Posted ${r.data?.id} as @${author}.`);
      setText('');
      if (author === selected) await load(selected);
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (!apps.length) return <p>Create an app first.</p>;
  const options = users.map((u) => [u.username, `@${u.username} (${u.name})`] as const);
  return (
    <>
      <h1>Demo world</h1>
      <AppPicker apps={apps} value={appId} onChange={setAppId} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Card title="Composer">
        <form onSubmit={post} aria-label="Compose a post">
          <Select label="Post as" value={author} options={options} onChange={setAuthor} />
          <p class="field">
            <label for="compose">Post text</label>
            <textarea id="compose" rows={3} maxLength={280} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} required />
          </p>
          <button type="submit">Post</button>
          <span role="status">{status}</span>
        </form>
      </Card>
      <Card title="Profiles">
        <Select label="User" value={selected} options={options} onChange={setSelected} />
        {profile && (
          <article class="profile">
            <h3>
              {profile.name} <span class="muted">@{profile.username}</span>
            </h3>
            <p>{profile.description}</p>
            <p class="muted">
              {profile.publicMetrics?.followersCount ?? 0} followers · {profile.publicMetrics?.followingCount ?? 0} following · {profile.publicMetrics?.tweetCount ?? 0} posts
            </p>
          </article>
        )}
        <ol class="timeline" aria-label="Recent posts">
          {posts.map((p) => (
            <li>
              {p.text} <span class="muted">{p.createdAt ? new Date(p.createdAt).toLocaleString() : ''}</span>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
