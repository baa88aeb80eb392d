import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleAppJson } from '@roost/sdk/console';
import { errorText, userClient, withApp } from '../api.js';
import { AppPicker, Card, Field, Select } from '../ui.js';

interface Param {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
}
interface Op {
  id: string;
  method: string;
  path: string;
  summary: string;
  params: Param[];
  hasBody: boolean;
  /** App-only (bearer) when the operation accepts it; else a demo user's OAuth 2.0 token. */
  appOnly: boolean;
}

type Spec = { paths: Record<string, Record<string, { operationId?: string; summary?: string; parameters?: { $ref?: string; name?: string; in?: string; required?: boolean; description?: string }[]; requestBody?: unknown; security?: Record<string, unknown>[] }>> } & {
  components?: { parameters?: Record<string, { name: string; in: string; required?: boolean; description?: string }> };
};

/** The operations of the contract Roost serves (GET /2/openapi.json), with their path and query parameters. */
function operationsOf(spec: Spec): Op[] {
  const out: Op[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, o] of Object.entries(methods)) {
      if (!o.operationId || !['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const params: Param[] = [];
      for (const p of o.parameters ?? []) {
        const r = p.$ref ? spec.components?.parameters?.[p.$ref.split('/').pop()!] : p;
        if (r && (r.in === 'path' || r.in === 'query')) params.push({ name: r.name!, in: r.in, required: !!r.required, description: r.description });
      }
      const appOnly = !o.security || o.security.some((s) => 'BearerToken' in s);
      out.push({ id: o.operationId, method: method.toUpperCase(), path, summary: o.summary ?? '', params, hasBody: !!o.requestBody, appOnly });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function ExplorerPage({ apps }: { apps: ConsoleAppJson[] }) {
  const [appId, setAppId] = useState(apps[0]?.id ?? '');
  const [ops, setOps] = useState<Op[]>([]);
  const [opId, setOpId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState('');
  const [asUser, setAsUser] = useState('XDevelopers');
  const [result, setResult] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    if (!appId) return;
    void withApp(appId, (c) => c.general.getOpenApiSpec()).then(
      (buf) => {
        const list = operationsOf(JSON.parse(new TextDecoder().decode(buf)) as Spec);
        setOps(list);
        setOpId((id) => id || list.find((o) => o.id === 'getUsersByUsername')?.id || list[0]?.id || '');
      },
      (err) => setError(errorText(err)),
    );
  }, [appId]);

  const op = ops.find((o) => o.id === opId);
  const url = useMemo(() => {
    if (!op) return '';
    let path = op.path.replace(/\{([^}]+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? `{${k}}`));
    const q = op.params.filter((p) => p.in === 'query' && values[p.name]).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(values[p.name]!)}`);
    if (q.length) path += `?${q.join('&')}`;
    return path;
  }, [op, values]);

  if (!apps.length) return <p>Create an app first.</p>;
  const token = op?.appOnly ? '$BEARER_TOKEN' : '$USER_ACCESS_TOKEN';
  const curl = op
    ? [`curl -X ${op.method} ${shellQuote(location.origin + url)}`, `  -H "Authorization: Bearer ${token}"`, ...(op.hasBody && body ? [`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(body)}`] : [])].join(' \\\n')
    : '';
  const sdk = op
    ? `import { Client } from '@roost/sdk';\n\nconst client = new Client({ baseUrl: '${location.origin}', ${op.appOnly ? 'bearerToken: process.env.BEARER_TOKEN' : 'accessToken: process.env.USER_ACCESS_TOKEN'} });\nconst res = await client.send({ method: '${op.method}', path: '${url}', auth: ${op.appOnly ? 1 : 2}, name: '${op.id}'${op.hasBody && body ? `, body: JSON.stringify(${body.trim()}), contentType: 'application/json'` : ''} });\nconsole.log(res);`
    : '';

  async function run(e: Event) {
    e.preventDefault();
    if (!op) return;
    setError('');
    setResult('');
    try {
      const spec = { method: op.method, path: url, auth: op.appOnly ? 1 : 2, name: op.id, ...(op.hasBody && body ? { body, contentType: 'application/json' } : {}) };
      const res = op.appOnly ? await withApp(appId, (c) => c.send(spec)) : await (await userClient(appId, asUser)).send(spec);
      setResult(JSON.stringify(res, null, 2));
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <>
      <h1>API explorer</h1>
      <AppPicker apps={apps} value={appId} onChange={setAppId} />
      <Card title="Request">
        <form onSubmit={run} aria-label="Run an operation">
          <Select label="Operation" value={opId} options={ops.map((o) => [o.id, `${o.method} ${o.path} — ${o.id}`] as const)} onChange={(v) => (setOpId(v), setValues({}))} />
          {op && <p class="muted">{op.summary}</p>}
          {op?.params.map((p) => (
            <Field label={`${p.name}${p.required ? ' (required)' : ''} — ${p.in}`} value={values[p.name] ?? ''} onInput={(v) => setValues({ ...values, [p.name]: v })} required={p.required} />
          ))}
          {op?.hasBody && (
            <p class="field">
              <label for="body">JSON body</label>
              <textarea id="body" rows={4} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
            </p>
          )}
          {op && !op.appOnly && <Field label="Act as demo user (@username)" value={asUser} onInput={setAsUser} required />}
          <button type="submit">Send</button>
        </form>
      </Card>
      <Card title="As curl">
        <pre>{curl}</pre>
      </Card>
      <Card title="As SDK code">
        <pre>{sdk}</pre>
      </Card>
      <Card title="Response">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <pre>{result}</pre>
      </Card>
    </>
  );
}
