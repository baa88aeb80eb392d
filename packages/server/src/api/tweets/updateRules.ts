/**
 * POST /2/tweets/search/stream/rules (FACTS §6.1): add or delete filtered-stream rules of the calling app
 * (domain/stream-rules.ts), answered in X's shapes: per-rule DuplicateRule / invalid-rules / rule-cap errors, and
 * the `meta.summary` counts. `dry_run=true` answers exactly as the real request would.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation, type OperationRequest } from '../operation.js';
import { InvalidRequest, PROBLEMS } from '../../errors.js';
import { addRules, deleteAllRules, deleteRules } from '../../domain/stream-rules.js';
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
      return removeAll(req, appId, dryRun);
    }
    if (req.body === undefined || req.body === null) throw invalidBody('$: the request body must contain `add` or `delete`');
    const b = req.body;
    if (b.add && b.delete) throw invalidBody('$: the request body must contain either `add` or `delete`, not both');
    if (b.add) {
      if (b.add.length === 0) throw invalidBody('$.add: there must be a minimum of 1 items in the array');
      return add(req, appId, b.add, dryRun);
    }
    if (b.delete) {
      const ids = b.delete.ids ?? [];
      const values = b.delete.values ?? [];
      if (ids.length + values.length === 0) throw invalidBody('$.delete: `ids` or `values` must list at least one rule');
      return remove(req, appId, ids, values, dryRun);
    }
    throw invalidBody('$: the request body must contain `add` or `delete`');
  },
});

async function add(req: OperationRequest, appId: string, rules: { value: string; tag?: string }[], dryRun: boolean) {
  const { ctx } = req;
  const o = await addRules(ctx, { tier: ctx.config.tier, maxRules: ctx.config.streamMaxRules }, appId, rules, dryRun);
  const errors = o.issues.map((i) => {
    if (i.kind === 'invalid') return { value: i.value, details: i.messages, title: 'UnprocessableEntity', detail: 'Rule is invalid', type: `${PROBLEMS}invalid-rules` };
    if (i.kind === 'duplicate') return { value: i.value, id: i.id, title: 'DuplicateRule', type: `${PROBLEMS}duplicate-rules` };
    return { title: 'RulesCapExceeded', detail: `You have exceeded the maximum number of rules (${i.cap}).`, type: `${PROBLEMS}rule-cap` };
  });
  const created = o.created.length;
  const body: Record<string, unknown> = {};
  if (created) body.data = o.created.map((f) => (f.tag === null ? { value: f.value, id: f.id } : { value: f.value, tag: f.tag, id: f.id }));
  body.meta = { sent: sent(req), summary: { created, not_created: rules.length - created, valid: o.valid, invalid: o.invalid } };
  if (errors.length) body.errors = errors;
  return { body };
}

async function remove(req: OperationRequest, appId: string, ids: string[], values: string[], dryRun: boolean) {
  const o = await deleteRules(req.ctx, appId, ids, values, dryRun);
  const errors = o.missing.map((m) => ({
    errors: [{ parameters: { [m.param]: [m.value] }, message: 'Rule does not exist' }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: `${PROBLEMS}invalid-request`,
  }));
  const body: Record<string, unknown> = { meta: { sent: sent(req), summary: { deleted: o.deleted, not_deleted: o.missing.length } } };
  if (errors.length) body.errors = errors;
  return { body };
}

async function removeAll(req: OperationRequest, appId: string, dryRun: boolean) {
  const deleted = await deleteAllRules(req.ctx, appId, dryRun);
  return { body: { meta: { sent: sent(req), summary: { deleted, not_deleted: 0 } } } };
}
