import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleAppJson } from '@roost/sdk/console';
import { errorText, withApp, appClient } from '../api.js';
import { AppPicker, Card, Field } from '../ui.js';

interface Rule {
  id: string;
  value: string;
  tag?: string;
}
interface Arrival {
  id: string;
  text: string;
  author: string;
  rules: string[];
}

/** The query parser's verdict on a rule (a dry run of adding it): null while unknown, [] when valid. */
function useRuleCheck(appId: string, value: string): string[] | null {
  const [messages, setMessages] = useState<string[] | null>(null);
  useEffect(() => {
    setMessages(null);
    if (!value.trim() || !appId) return;
    const t = setTimeout(async () => {
      try {
        const r = await withApp(appId, (c) => c.stream.updateRules({ add: [{ value }] }, { dryRun: true }));
        setMessages((r.errors ?? []).map((e: { title?: string; details?: string[]; detail?: string }) => [e.title, ...(e.details ?? [e.detail])].filter(Boolean).join(': ')));
      } catch (err) {
        setMessages([errorText(err)]);
      }
    }, 350);
    return () => clearTimeout(t);
  }, [appId, value]);
  return messages;
}

export function StreamsPage({ apps }: { apps: ConsoleAppJson[] }) {
  const [appId, setAppId] = useState(apps[0]?.id ?? '');
  const [rules, setRules] = useState<Rule[]>([]);
  const [value, setValue] = useState('');
  const [tag, setTag] = useState('');
  const [error, setError] = useState('');
  const [arrivals, setArrivals] = useState<Arrival[]>([]);
  const [connected, setConnected] = useState(false);
  const messages = useRuleCheck(appId, value);
  const stream = useRef<{ close(): void } | null>(null);

  useEffect(() => {
    if (!appId && apps[0]) setAppId(apps[0].id);
  }, [apps]);
  const loadRules = () => withApp(appId, (c) => c.stream.getRules()).then((r) => setRules((r.data ?? []) as Rule[]), (err) => setError(errorText(err)));
  useEffect(() => {
    if (appId) void loadRules();
  }, [appId]);

  async function add(e: Event) {
    e.preventDefault();
    setError('');
    try {
      const r = await withApp(appId, (c) => c.stream.updateRules({ add: [{ value, ...(tag ? { tag } : {}) }] }));
      if (r.errors?.length) setError(r.errors.map((x: { title?: string; details?: string[] }) => [x.title, ...(x.details ?? [])].join(': ')).join('; '));
      else {
        setValue('');
        setTag('');
      }
      await loadRules();
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function remove(id: string) {
    await withApp(appId, (c) => c.stream.updateRules({ delete: { ids: [id] } }));
    await loadRules();
  }

  async function connect() {
    setError('');
    try {
      const c = await appClient(appId);
      const s = await c.stream.posts({ expansions: ['author_id'], tweetFields: ['author_id', 'created_at'] });
      stream.current = s;
      setConnected(true);
      s.on('data', (ev) => {
        const post = ev.data as { id: string; text: string; authorId?: string; author_id?: string };
        const users = (ev.includes?.users ?? []) as { id: string; username: string }[];
        const authorId = post.authorId ?? post.author_id;
        const author = users.find((u) => u.id === authorId)?.username ?? authorId ?? '';
        setArrivals((a) => [{ id: post.id, text: post.text, author, rules: ((ev.matchingRules ?? ev.matching_rules ?? []) as { tag?: string; id: string }[]).map((m: { tag?: string; id: string }) => m.tag || m.id) }, ...a].slice(0, 100));
      });
      s.on('close', () => setConnected(false));
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => () => stream.current?.close(), []);

  if (!apps.length) return <p>Create an app first.</p>;
  return (
    <>
      <h1>Filtered stream</h1>
      <AppPicker apps={apps} value={appId} onChange={setAppId} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Card title="Rules">
        <form onSubmit={add} aria-label="Add a rule">
          <Field label="Rule" value={value} onInput={setValue} required describedBy="rule-check" placeholder='cats has:media -is:retweet' />
          <div id="rule-check" class="rule-check" aria-live="polite">
            {messages === null ? '' : messages.length === 0 ? <span class="ok">Valid rule</span> : messages.map((m) => <p class="error">{m}</p>)}
          </div>
          <Field label="Tag (optional)" value={tag} onInput={setTag} />
          <button type="submit">Add rule</button>
        </form>
        <ul class="rules">
          {rules.map((r) => (
            <li>
              <code>{r.value}</code> {r.tag && <span class="tag">{r.tag}</span>}{' '}
              <button type="button" onClick={() => remove(r.id)} aria-label={`Delete rule ${r.value}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Live stream">
        {connected ? (
          <button
            type="button"
            onClick={() => {
              stream.current?.close();
              setConnected(false);
            }}
          >
            Disconnect
          </button>
        ) : (
          <button type="button" onClick={connect}>
            Connect
          </button>
        )}
        <span role="status" class="live">
          {connected ? ' Connected' : ' Not connected'}
        </span>
        <ol class="arrivals" aria-label="Arrived posts">
          {arrivals.map((a) => (
            <li>
              <strong>@{a.author}</strong> {a.text} <span class="tag">{a.rules.join(', ')}</span>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
