/** `GET /healthz` (open, outside X's paths) and `GET /_roost/info`. */
import pkg from '../../package.json' with { type: 'json' };
import { usesPostgres } from '../config.js';
import { adminRoute } from './route.js';
import type { HealthJson, InfoJson } from './protocol.js';
import { clockJson } from './views.js';

export const getHealth = adminRoute({
  id: 'getHealth',
  summary: 'Liveness: 200 {"status":"ok"} once the server answers (503 "starting" while it seeds).',
  auth: 'none',
  async handle() {
    const body: HealthJson = { status: 'ok' };
    return { body };
  },
});

export const getInfo = adminRoute({
  id: 'getInfo',
  summary: "What this server is: version, URL, clock, whether it can reset, the default app and the demo world's size.",
  auth: 'admin',
  async handle({ ctx, admin, origin }) {
    const world = await ctx.repos.apps.getSetting('seed.world');
    const w = world ? (JSON.parse(world) as { seed: number; users: number; posts: number }) : null;
    const body: InfoJson = {
      version: pkg.version,
      url: origin,
      admin: true,
      resettable: admin.reset !== null,
      clock: clockJson(ctx.clock),
      default_app_id: (await ctx.repos.apps.getSetting('default_app_id')) ?? '',
      world: w && { seed: w.seed, users: w.users, posts: w.posts },
      database: usesPostgres(ctx.config.dbUrl) ? 'postgres' : 'sqlite',
    };
    return { body };
  },
});
