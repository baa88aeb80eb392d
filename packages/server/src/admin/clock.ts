/**
 * Time travel: read, move (forward or back), set, freeze and resume the server's clock. Everything that keeps time
 * reads it — rate-limit windows, edit windows, search windows and lag, token and code expiry, media processing.
 */
import { parseInstant } from '../config.js';
import { InvalidRequest } from '../errors.js';
import { adminRoute } from './route.js';
import { clockJson, controllableClock } from './views.js';

const DAY_MS = 86_400_000;

function instant(v: string | number, param: string): number {
  const t = typeof v === 'number' ? v : parseInstant(v);
  if (t === null || !Number.isFinite(t)) throw InvalidRequest.one(param, [String(v)], `The \`${param}\` body field value [${v}] is not an ISO 8601 time or epoch milliseconds`);
  return t;
}

export const getClock = adminRoute({
  id: 'getClock',
  summary: "The server's time, whether it is frozen, and its offset from the wall clock.",
  auth: 'admin',
  async handle({ ctx }) {
    return { body: clockJson(ctx.clock) };
  },
});

export const advanceClock = adminRoute({
  id: 'advanceClock',
  summary: 'Moves the clock by ms (negative: back in time). A frozen clock stays frozen.',
  auth: 'admin',
  body: { ms: { type: 'integer', required: true, min: -3650 * DAY_MS, max: 3650 * DAY_MS, description: 'milliseconds to move (negative: back)' } },
  async handle({ ctx, admin, body }) {
    controllableClock(admin).advance(body.ms);
    return { body: clockJson(ctx.clock) };
  },
});

export const setClock = adminRoute({
  id: 'setClock',
  summary: 'Jumps to an instant (ISO 8601 or epoch ms); a running clock runs on from there.',
  auth: 'admin',
  body: { time: { type: 'string', required: true, description: 'ISO 8601 time or epoch milliseconds' } },
  async handle({ ctx, admin, body }) {
    controllableClock(admin).set(instant(body.time, 'time'));
    return { body: clockJson(ctx.clock) };
  },
});

export const freezeClock = adminRoute({
  id: 'freezeClock',
  summary: 'Stops the clock, where it is or at an instant.',
  auth: 'admin',
  body: { time: { type: 'string', description: 'freeze at this instant instead of now (ISO 8601 or epoch ms)' } },
  async handle({ ctx, admin, body }) {
    controllableClock(admin).freeze(body.time === undefined ? undefined : instant(body.time, 'time'));
    return { body: clockJson(ctx.clock) };
  },
});

export const resumeClock = adminRoute({
  id: 'resumeClock',
  summary: 'Lets a frozen clock run again from the instant it shows.',
  auth: 'admin',
  async handle({ ctx, admin }) {
    controllableClock(admin).resume();
    return { body: clockJson(ctx.clock) };
  },
});
