import { useEffect, useState } from 'preact/hooks';
import type { ConsoleAppJson, UsageJson } from '@roost/sdk/console';
import { consoleApi, errorText } from '../api.js';
import { Card, Field } from '../ui.js';
import { DayChart } from '../chart.js';

const usd = (v: number) => `$${v.toFixed(v !== 0 && Math.abs(v) < 0.1 ? 3 : 2)}`;

function dayRange(since: string): string[] {
  const out: string[] = [];
  const end = new Date().toISOString().slice(0, 10);
  for (let t = Date.parse(`${since}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push(d);
    if (d >= end || out.length > 90) break;
  }
  return out;
}

export function UsagePage({ apps }: { apps: ConsoleAppJson[] }) {
  const [usage, setUsage] = useState<UsageJson | null>(null);
  const [error, setError] = useState('');
  const [live, setLive] = useState(false);
  const load = () => consoleApi.usage(30).then(setUsage, (err) => setError(errorText(err)));

  useEffect(() => {
    void load();
    // Live: the server says when one of our apps made a request.
    const es = new EventSource(consoleApi.usageEventsUrl());
    es.addEventListener('ready', () => setLive(true));
    es.addEventListener('usage', () => void load());
    es.onerror = () => setLive(false);
    return () => es.close();
  }, []);

  if (!usage) return error ? <p class="error" role="alert">{error}</p> : <p>Loading…</p>;
  const name = (id: string) => apps.find((a) => a.id === id)?.name ?? id;
  const days = dayRange(usage.since);
  const appIds = [...new Set(usage.days.map((d) => d.app_id))];
  const seriesOf = (pick: 'cost_usd' | 'requests') =>
    appIds.map((id) => ({ label: name(id), values: days.map((day) => usage.days.find((d) => d.day === day && d.app_id === id)?.[pick] ?? 0) }));
  const b = usage.billing;
  const total = usage.endpoints.reduce((n, e) => n + e.requests, 0);

  return (
    <>
      <h1>Usage and costs</h1>
      <p role="status" aria-live="polite" class="live">
        {live ? 'Live' : 'Connecting…'} · <span data-testid="total-requests">{total}</span> requests in the last 30 days
      </p>
      <Card title="Credits">
        <dl class="facts">
          <dt>Balance</dt>
          <dd data-testid="balance">{usd(b.balance_usd)}</dd>
          <dt>Spent this cycle</dt>
          <dd>{usd(b.cycle_spend_usd)}</dd>
          <dt>Post reads this cycle</dt>
          <dd>
            <meter min={0} max={b.monthly_post_cap} value={b.cycle_posts} aria-label="Post reads against the monthly cap" /> {b.cycle_posts.toLocaleString()} of{' '}
            {b.monthly_post_cap.toLocaleString()}
          </dd>
        </dl>
        <BillingForms billing={b} onChanged={(x) => setUsage({ ...usage, billing: x })} />
      </Card>
      <Card title="Cost by day">
        <DayChart title="Cost (USD) by day" days={days} series={seriesOf('cost_usd')} format={usd} />
        <DayChart title="Requests by day" days={days} series={seriesOf('requests')} format={(v) => String(Math.round(v))} />
      </Card>
      <Card title="By endpoint">
        <table>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Operation</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">Posts billed</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {usage.endpoints.map((e) => (
              <tr data-operation={e.operation_id}>
                <td>{name(e.app_id)}</td>
                <td>
                  <code>{e.operation_id}</code>
                </td>
                <td>{e.requests}</td>
                <td>{e.errors}</td>
                <td>{e.posts}</td>
                <td>{usd(e.cost_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Rate-limit headroom">
        <table>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Operation</th>
              <th scope="col">Pool</th>
              <th scope="col">Remaining</th>
              <th scope="col">Resets</th>
            </tr>
          </thead>
          <tbody>
            {usage.headroom.map((h) => (
              <tr>
                <td>{name(h.app_id)}</td>
                <td>
                  <code>{h.operation_id}</code>
                </td>
                <td>{h.pool}</td>
                <td>
                  <meter min={0} max={h.limit} value={h.remaining} aria-label={`${h.operation_id} headroom`} /> {h.remaining} / {h.limit}
                </td>
                <td>{new Date(h.reset * 1000).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}

function BillingForms({ billing, onChanged }: { billing: UsageJson['billing']; onChanged: (b: UsageJson['billing']) => void }) {
  const [amount, setAmount] = useState('10');
  const [auto, setAuto] = useState(billing.auto_recharge);
  const [threshold, setThreshold] = useState(String(billing.recharge_threshold_usd || 5));
  const [recharge, setRecharge] = useState(String(billing.recharge_amount_usd || 25));
  const [cap, setCap] = useState(billing.spend_cap_usd === null ? '' : String(billing.spend_cap_usd));
  const [error, setError] = useState('');
  const run = async (fn: () => Promise<{ billing: UsageJson['billing'] }>) => {
    setError('');
    try {
      onChanged((await fn()).billing);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="billing">
      <form
        aria-label="Top up"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => consoleApi.topUp(Number(amount)));
        }}
      >
        <Field label="Top-up amount (USD)" type="number" value={amount} onInput={setAmount} required />
        <button type="submit">Add credits</button>
      </form>
      <form
        aria-label="Auto-recharge and spend cap"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            consoleApi.updateBilling({ auto_recharge: auto, recharge_threshold_usd: Number(threshold), recharge_amount_usd: Number(recharge), spend_cap_usd: cap === '' ? 0 : Number(cap) }),
          );
        }}
      >
        <p class="field check">
          <input id="auto" type="checkbox" checked={auto} onChange={(e) => setAuto((e.target as HTMLInputElement).checked)} />
          <label for="auto">Auto-recharge (at most once every 5 minutes)</label>
        </p>
        <Field label="When the balance falls below (USD)" type="number" value={threshold} onInput={setThreshold} />
        <Field label="Add (USD)" type="number" value={recharge} onInput={setRecharge} />
        <Field label="Spend cap per billing cycle (USD, empty for none)" type="number" value={cap} onInput={setCap} />
        <button type="submit">Save billing settings</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
