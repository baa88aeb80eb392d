/**
 * Filtered-stream rules management (FACTS §6.1). Rules belong to an app; X's "project" is the app's owner (as in
 * billing), and the rule cap counts both. Values are parsed with the query front end (product `stream`, the
 * server's tier).
 *
 * Adding: invalid rules or a batch over the cap make the whole request create nothing; a value the app already has
 * (or that repeats within the request) is a duplicate carrying the existing rule's id and is skipped while the
 * others are created. Deleting names rules by id or value; unknown ones are reported. `dryRun` computes exactly
 * the answer of the real request (ids included) and stores nothing. Every change that stored something publishes
 * `stream.rules.changed` after commit, so live connections reload the app's rules.
 */
import { parseQuery } from '../query/index.js';
import type { Tier } from '../query/products.js';
import { write, type DomainContext } from './write.js';

export interface RuleInput {
  value: string;
  tag?: string;
}

export interface CreatedRule {
  id: string;
  value: string;
  tag: string | null;
}

/** Why one rule of a request was not created, in request order (a cap overflow is about the whole batch). */
export type RuleIssue =
  | { kind: 'invalid'; value: string; messages: string[] }
  | { kind: 'duplicate'; value: string; id: string | undefined }
  | { kind: 'cap'; cap: number };

export interface AddOutcome {
  created: CreatedRule[];
  issues: RuleIssue[];
  /** Rules that were valid (not invalid, not duplicates), created or not. */
  valid: number;
  invalid: number;
}

export interface RulesSettings {
  tier: Tier;
  /** The most rules an app, and a project, may have. */
  maxRules: number;
}

export async function addRules(ctx: DomainContext, s: RulesSettings, appId: string, add: readonly RuleInput[], dryRun: boolean): Promise<AddOutcome> {
  const issues: RuleIssue[] = [];
  let invalid = 0;
  let blocking = false;
  const existing = await ctx.repos.streamRules.byValues(appId, [...new Set(add.map((a) => a.value))]);
  const seen = new Map<string, string>();
  let fresh: CreatedRule[] = [];
  for (const a of add) {
    const parsed = parseQuery(a.value, { product: 'stream', tier: s.tier });
    if (!parsed.ok) {
      invalid++;
      blocking = true;
      issues.push({ kind: 'invalid', value: a.value, messages: parsed.messages });
      continue;
    }
    const dupId = existing.get(a.value)?.id ?? seen.get(a.value);
    if (dupId !== undefined) {
      invalid++;
      issues.push({ kind: 'duplicate', value: a.value, id: dupId });
      continue;
    }
    const id = ctx.ids.next();
    seen.set(a.value, id);
    fresh.push({ value: a.value, tag: a.tag ?? null, id });
  }
  if (!blocking && fresh.length) {
    const app = await ctx.repos.apps.byId(appId);
    const counts = app ? await ctx.repos.streamRules.countsByOwner(app.ownerUserId) : [];
    const mine = counts.find((c) => c.appId === appId)?.count ?? 0;
    const project = counts.reduce((n, c) => n + c.count, 0);
    if (mine + fresh.length > s.maxRules || project + fresh.length > s.maxRules) {
      blocking = true;
      issues.push({ kind: 'cap', cap: s.maxRules });
    }
    if (!blocking && !dryRun) {
      const now = ctx.clock.now();
      const rows = fresh.map((f) => ({ ...f, appId, ownerId: app!.ownerUserId, createdAt: now }));
      const inserted = await write(ctx, async (r, out) => {
        const got = await r.streamRules.insertMany(rows);
        if (got.size) out.emit({ type: 'stream.rules.changed', appId, at: now });
        return got;
      });
      // A concurrent request added some of these values first: they are duplicates of its rules.
      const lost = fresh.filter((f) => !inserted.has(f.id));
      if (lost.length) {
        const winners = await ctx.repos.streamRules.byValues(appId, lost.map((f) => f.value));
        for (const f of lost) {
          invalid++;
          issues.push({ kind: 'duplicate', value: f.value, id: winners.get(f.value)?.id });
        }
        fresh = fresh.filter((f) => inserted.has(f.id));
      }
    }
  }
  return { created: blocking ? [] : fresh, issues, valid: add.length - invalid, invalid };
}

export interface DeleteOutcome {
  deleted: number;
  /** Ids and values that name no rule of the app, in request order (ids first). */
  missing: { param: 'ids' | 'values'; value: string }[];
}

export async function deleteRules(ctx: DomainContext, appId: string, ids: readonly string[], values: readonly string[], dryRun: boolean): Promise<DeleteOutcome> {
  const uniqueIds = [...new Set(ids)];
  const byId = new Set((await ctx.repos.streamRules.list(appId, { ids: uniqueIds })).map((r) => r.id));
  const byValue = await ctx.repos.streamRules.byValues(appId, [...new Set(values)]);
  const target = new Set<string>();
  const missing: DeleteOutcome['missing'] = [];
  for (const id of uniqueIds) {
    if (byId.has(id)) target.add(id);
    else missing.push({ param: 'ids', value: id });
  }
  for (const v of new Set(values)) {
    const r = byValue.get(v);
    if (r) target.add(r.id);
    else missing.push({ param: 'values', value: v });
  }
  if (dryRun || !target.size) return { deleted: target.size, missing };
  const at = ctx.clock.now();
  const deleted = await write(ctx, async (r, out) => {
    const gone = await r.streamRules.deleteIds(appId, [...target]);
    out.emit({ type: 'stream.rules.changed', appId, at });
    return gone.length;
  });
  return { deleted, missing };
}

/** Deletes every rule of the app; the number deleted (or that would be). */
export async function deleteAllRules(ctx: DomainContext, appId: string, dryRun: boolean): Promise<number> {
  if (dryRun) return ctx.repos.streamRules.countByApp(appId);
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const n = await r.streamRules.deleteAll(appId);
    if (n) out.emit({ type: 'stream.rules.changed', appId, at });
    return n;
  });
}
