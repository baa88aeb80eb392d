/** Fault rules: list, add, remove one, clear all (admin/faults.ts says what each fault answers). */
import { operation as describeOperation } from '@roost/contract';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';
import { operations } from '../api/index.js';
import { faultJson, STREAM_ONLY } from './faults.js';
import { FAULT_KINDS, type FaultInput } from './protocol.js';
import { adminRoute } from './route.js';
import { resolveUser } from './views.js';

export const listFaults = adminRoute({
  id: 'listFaults',
  summary: 'The fault rules, in the order they are tried, with how often each fired.',
  auth: 'admin',
  async handle({ admin }) {
    return { body: { data: admin.faults.list().map(faultJson) } };
  },
});

export const addFault = adminRoute({
  id: 'addFault',
  summary: 'Adds a fault rule; the first armed rule that matches a request answers it.',
  auth: 'admin',
  body: {
    fault: { type: 'string', required: true, enum: FAULT_KINDS, description: 'what to inject' },
    operation: { type: 'strings', description: 'operationIds the rule applies to (default: all)' },
    app: { type: 'string', description: "the calling app's id (default: any)" },
    user: { type: 'string', description: 'the calling user, by id or @username (default: any)' },
    probability: { type: 'number', min: 0, max: 1, description: 'chance a matching request gets the fault (default 1)' },
    seed: { type: 'integer', min: 0, max: 2 ** 32 - 1, description: 'seed of the probability draws (default: the rule number)' },
    count: { type: 'integer', min: 1, description: 'fire at most this many times (default: no limit)' },
    ms: { type: 'integer', min: 0, max: 600_000, description: 'latency: delay; stream faults: how long the stream runs first' },
    reset_in_s: { type: 'integer', min: 0, max: 86_400, description: 'rate-limit: seconds until x-rate-limit-reset (default: end of the 15-minute window)' },
    period: { type: 'string', enum: ['Monthly', 'Daily'], description: 'usage-cap: the cap period named in the body (default Monthly)' },
  },
  async handle({ ctx, admin, body }) {
    const ops = body.operation ?? null;
    if (ops) {
      const served = new Set(operations.map((o) => o.operationId as string));
      const unknown = ops.filter((o) => !served.has(o));
      if (unknown.length) throw InvalidRequest.one('operation', unknown, `The \`operation\` body field value [${unknown.join(',')}] is not an operation this server implements`);
      if (STREAM_ONLY.has(body.fault) && !ops.some((o) => describeOperation(o).streaming)) {
        throw InvalidRequest.one('operation', ops, `The fault [${body.fault}] applies to streaming operations only`);
      }
    }
    const input: FaultInput = { ...body, user: body.user === undefined ? undefined : (await resolveUser(ctx, body.user)).id };
    const rule = admin.faults.add(input);
    return { status: 201, body: { data: faultJson(rule) } };
  },
});

export const removeFault = adminRoute({
  id: 'removeFault',
  summary: 'Removes one fault rule.',
  auth: 'admin',
  async handle({ admin, params }) {
    if (!admin.faults.remove(params.id!)) {
      throw new ProblemError(404, { title: 'Not Found Error', detail: `Could not find fault rule with id: [${params.id}].`, type: `${PROBLEMS}resource-not-found` });
    }
    return { body: { data: { deleted: true } } };
  },
});

export const clearFaults = adminRoute({
  id: 'clearFaults',
  summary: 'Removes every fault rule.',
  auth: 'admin',
  async handle({ admin }) {
    const n = admin.faults.size;
    admin.faults.clear();
    return { body: { data: { deleted: n } } };
  },
});
