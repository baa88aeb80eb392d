/**
 * POST /2/tweets/search/stream/rules (FACTS §6.1): add or delete filtered-stream rules. Rules belong
 * to the calling app; X's "project" is the app's owner (as in metering). Rule values are parsed with the query
 * front end (product `stream`, the configured tier); every accepted change is published on the bus so live
 * connections apply it without reconnecting.
 *
 * Adding: invalid rules (syntax/product errors) or a batch over the rule cap make the whole request create nothing
 * (`created: 0`, the summary still counts valid/invalid); a value the app already has (or that repeats within the
 * request) is a DuplicateRule carrying the existing rule's id and is skipped while the others are created.
 * `dry_run=true` answers exactly as the real request would (ids included) without storing anything.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation, type OperationRequest } from '../operation.js';
import { InvalidRequest, PROBLEMS } from '../../errors.js';
import { parseQuery } from '../../query/index.js';
import { appOf } from '../shared.js';
import { sent } from './rule-views.js';

const invalidBody = (message: string) => new InvalidRequest([{ parameters: {}, message }]);

export const updateRules = operation({
  operationId: 'updateRules',
  rateLimit: { app: 100 },
  metering: meter.request(PRICES.manage),
  // `delete_all=true` takes no body.
  optionalBody: true,
  async handle(req) {
    const appId = appOf(req);
    const dryRun = req.params.dry_run === true;
    const deleteAll = req.params.delete_all === true;
    const empty = req.body === undefined || req.body === null || (typeof req.body === 'object' && Object.keys(req.body as object).length === 0);
    if (deleteAll) {
      if (!empty) throw InvalidRequest.one('delete_all', ['true'], 'The `delete_all` query parameter can not be combined with a request body');
      return deleteAllRules(req, appId, dryRun);
    }
    if (req.body === undefined || req.body === null) throw invalidBody('$: the request body must contain `add` or `delete`');
    const b = req.body;
    if (b.add && b.delete) throw invalidBody('$: the request body must contain either `add` or `delete`, not both');
    if (b.add) {
      if (b.add.length === 0) throw invalidBody('$.add: there must be a minimum of 1 items in the array');
      return addRules(req, appId, b.add, dryRun);
    }
    if (b.delete) {
      const ids = b.delete.ids ?? [];
      const values = b.delete.values ?? [];
      if (ids.length + values.length === 0) throw invalidBody('$.delete: `ids` or `values` must list at least one rule');
      return deleteRules(req, appId, ids, values, dryRun);
    }
    throw invalidBody('$: the request body must contain `add` or `delete`');
  },
});

async function addRules(req: OperationRequest, appId: string, add: { value: string; tag?: string }[], dryRun: boolean) {
  const { ctx } = req;
  const tier = ctx.config.tier;
  const errors: Record<string, unknown>[] = [];
  let invalid = 0;
  let blocking = false;
  const existing = await ctx.repos.streamRules.byValues(appId, [...new Set(add.map((a) => a.value))]);
  const seen = new Map<string, string>();
  const fresh: { value: string; tag: string | null; id: string }[] = [];
  for (const a of add) {
    const parsed = parseQuery(a.value, { product: 'stream', tier });
    if (!parsed.ok) {
      invalid++;
      blocking = true;
      errors.push({ value: a.value, details: parsed.messages, title: 'UnprocessableEntity', detail: 'Rule is invalid', type: `${PROBLEMS}invalid-rules` });
      continue;
    }
    const dupId = existing.get(a.value)?.id ?? seen.get(a.value);
    if (dupId !== undefined) {
      invalid++;
      errors.push({ value: a.value, id: dupId, title: 'DuplicateRule', type: `${PROBLEMS}duplicate-rules` });
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
    const cap = ctx.config.streamMaxRules;
    if (mine + fresh.length > cap || project + fresh.length > cap) {
      blocking = true;
      errors.push({
        title: 'RulesCapExceeded',
        detail: `You have exceeded the maximum number of rules (${cap}).`,
        type: `${PROBLEMS}rule-cap`,
      });
    }
    if (!blocking && !dryRun) {
      const now = ctx.clock.now();
      const inserted = await ctx.repos.streamRules.insertMany(fresh.map((f) => ({ ...f, appId, ownerId: app!.ownerUserId, createdAt: now })));
      // A concurrent request added some of these values first: they are duplicates of its rules.
      const lost = fresh.filter((f) => !inserted.has(f.id));
      if (lost.length) {
        const winners = await ctx.repos.streamRules.byValues(appId, lost.map((f) => f.value));
        for (const f of lost) {
          invalid++;
          errors.push({ value: f.value, id: winners.get(f.value)?.id, title: 'DuplicateRule', type: `${PROBLEMS}duplicate-rules` });
        }
        fresh.splice(0, fresh.length, ...fresh.filter((f) => inserted.has(f.id)));
      }
      if (inserted.size) ctx.bus.publish({ type: 'stream.rules.changed', appId, at: now });
    }
  }
  const valid = add.length - invalid;
  const created = blocking ? 0 : fresh.length;
  const body: Record<string, unknown> = {};
  if (created) body.data = fresh.map((f) => (f.tag === null ? { value: f.value, id: f.id } : { value: f.value, tag: f.tag, id: f.id }));
  body.meta = { sent: sent(req), summary: { created, not_created: add.length - created, valid, invalid } };
  if (errors.length) body.errors = errors;
  return { body };
}

async function deleteRules(req: OperationRequest, appId: string, ids: string[], values: string[], dryRun: boolean) {
  const { ctx } = req;
  const errors: Record<string, unknown>[] = [];
  const notFound = (param: 'ids' | 'values', v: string) =>
    errors.push({
      errors: [{ parameters: { [param]: [v] }, message: 'Rule does not exist' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: `${PROBLEMS}invalid-request`,
    });
  const uniqueIds = [...new Set(ids)];
  const byId = new Set((await ctx.repos.streamRules.list(appId, { ids: uniqueIds })).map((r) => r.id));
  const byValue = await ctx.repos.streamRules.byValues(appId, [...new Set(values)]);
  const target = new Set<string>();
  let notDeleted = 0;
  for (const id of uniqueIds) {
    if (byId.has(id)) target.add(id);
    else {
      notDeleted++;
      notFound('ids', id);
    }
  }
  for (const v of new Set(values)) {
    const r = byValue.get(v);
    if (r) target.add(r.id);
    else {
      notDeleted++;
      notFound('values', v);
    }
  }
  let deleted = target.size;
  if (!dryRun && target.size) {
    deleted = (await ctx.repos.streamRules.deleteIds(appId, [...target])).length;
    ctx.bus.publish({ type: 'stream.rules.changed', appId, at: ctx.clock.now() });
  }
  const body: Record<string, unknown> = { meta: { sent: sent(req), summary: { deleted, not_deleted: notDeleted } } };
  if (errors.length) body.errors = errors;
  return { body };
}

async function deleteAllRules(req: OperationRequest, appId: string, dryRun: boolean) {
  const { ctx } = req;
  const deleted = dryRun ? await ctx.repos.streamRules.countByApp(appId) : await ctx.repos.streamRules.deleteAll(appId);
  if (!dryRun && deleted) ctx.bus.publish({ type: 'stream.rules.changed', appId, at: ctx.clock.now() });
  return { body: { meta: { sent: sent(req), summary: { deleted, not_deleted: 0 } } } };
}

