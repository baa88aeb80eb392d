/**
 * `roost`'s commands. With cli.ts (the entry), the only code that prints to the terminal and exits the process:
 * `runCli(argv, io)` returns the exit status (tests run it in-process with their own io). The commands, their
 * flags and their help are the table in `commands` below (cli/spec.ts renders the help); `roost help` lists them.
 * Commands that act on a running server (clock, faults, requests, reset) go through its admin API; the others open
 * the database. Every error is one line, `roost: …`.
 */
import { readEnv, type RawEnv } from '../env.js';
import { buildConfig, ConfigError, parseInstant, tlsDir, type Config } from '../config.js';
import { startServer, type StartPhase } from '../server.js';
import { createContext, type Context } from '../context.js';
import { seedWorld } from '../seed/world.js';
import { seedExtras } from '../seed/extras.js';
import { createProgressBar } from '../seed/progress.js';
import { createApp, mintUserToken, ALL_SCOPES } from '../auth/issue.js';
import { createOAuth2Client, DEFAULT_REDIRECT_URIS, redirectUriProblem } from '../auth/oauth2.js';
import { XDEVELOPERS_ID } from '../seed/anchor.js';
import { mintOAuth1AccessToken, rotateConsumerSecret } from '../auth/oauth1.js';
import type { AppPermission } from '../data/oauth1.js';
import type { DmAllowFrom } from '../data/dms.js';
import { setDmSettings } from '../domain/dms.js';
import { DEFAULT_DM_ALLOW_FROM } from '../pipeline/rules.js';
import { ApiError, InvalidRequest } from '../errors.js';
import { creditsCommand, limitsCommand } from '../limits/cli-commands.js';
import { spacesCreate, spacesDrive } from './spaces-commands.js';
import { notesRequest } from './notes-commands.js';
import { StartupError, databaseError, preflight, redactDbUrl } from '../startup.js';
import { reindexPosts } from '../data/search.js';
import { KeyError, rotateSecretKey } from '../auth/keyring.js';
import { commandHelp, findCommand, mainHelp, parseFor, type CommandSpec, type Flags, type Parsed } from './spec.js';
import { banner } from './banner.js';
import { parseDuration } from './duration.js';
import { adminCall, type AdminTarget } from './admin-client.js';
import { FAULT_KINDS, type ClockJson, type FaultJson, type RequestLogJson, type ResetJson } from '../admin/protocol.js';
import { makeUser } from '../admin/users.js';
import { appJson } from '../admin/apps.js';
import type { AppJson } from '../admin/protocol.js';
import { ensureTrust } from '../tls/trust.js';
import { trustText } from './trust.js';
import { DELIVERY_STATUSES, deliveriesTable } from './deliveries.js';
import type { DeliveryStatus } from '../data/deliveries.js';

// ---------------------------------------------------------------------------------------------------------------
// output

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Ends the process (a signal while serving); tests never reach it. */
  exit(code: number): never;
}

const processIo: CliIo = {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
  exit: (code) => process.exit(code),
};

let io: CliIo = processIo;
const out = (t: string) => io.out(t);
const err = (t: string) => io.err(t);

// ---------------------------------------------------------------------------------------------------------------
// settings and flags shared by commands

const DB_FLAG: Flags = { db: { type: 'string', arg: 'URL', description: 'SQLite file or postgres:// URL (default ROOST_DB_URL, ./data/roost.db)' } };
const SERVER_FLAGS: Flags = {
  url: { type: 'string', arg: 'URL', description: 'the running server (default ROOST_URL, else http://ROOST_HOST:ROOST_PORT)' },
  'admin-token': { type: 'string', arg: 'TOKEN', description: 'its admin token (default ROOST_ADMIN_TOKEN)' },
};

function configFrom(values: Parsed['values']): Config {
  const env: RawEnv = readEnv();
  if (typeof values.host === 'string') env.ROOST_HOST = values.host;
  if (typeof values.port === 'string') env.ROOST_PORT = values.port;
  if (typeof values.db === 'string') env.ROOST_DB_URL = values.db;
  if (typeof values.seed === 'string') env.ROOST_SEED = values.seed;
  return buildConfig(env);
}

/** A context on the configured database, for commands that work on it directly. */
async function withDatabase<T>(values: Parsed['values'], fn: (ctx: Context) => Promise<T>): Promise<T> {
  const config = configFrom(values);
  preflight(config);
  let ctx: Context;
  try {
    ctx = await createContext(config);
  } catch (err) {
    throw databaseError(err, config.dbUrl);
  }
  try {
    return await fn(ctx);
  } finally {
    await ctx.metering.close();
    await ctx.limits.close();
    await ctx.store.close();
  }
}

function adminTarget(values: Parsed['values']): AdminTarget {
  const env = readEnv();
  const config = buildConfig({ ...env, ROOST_ADMIN_TOKEN: undefined });
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = typeof values.url === 'string' ? values.url : (env.ROOST_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`);
  const token = typeof values['admin-token'] === 'string' ? values['admin-token'] : (env.ROOST_ADMIN_TOKEN ?? null);
  return { url: url.replace(/\/+$/, ''), token };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// ---------------------------------------------------------------------------------------------------------------
// serve and seed

/** Exit statuses of a process ended by a signal (128 + its number). */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function serve(p: Parsed): Promise<void> {
  const config = configFrom(p.values);
  const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
  let phase: StartPhase | 'starting' = 'starting';
  let handle: Awaited<ReturnType<typeof startServer>> | null = null;
  let stopping = false;
  // Handlers first: a signal may come at any moment, during seeding too, or as soon as the banner is read.
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    if (!handle) {
      // Nothing to close cleanly yet; the seed's transaction never commits, so the database keeps no half world.
      err(
        phase === 'seeding'
          ? `roost: ${signal} while seeding the demo world; nothing of it was kept, the next start seeds it again`
          : `roost: ${signal} while starting; stopped`,
      );
      io.exit(SIGNAL_EXIT[signal]!);
    }
    handle.ctx.log.info({ signal }, 'shutting down');
    void handle.close().then(
      () => io.exit(0),
      (e: unknown) => {
        err(`roost: error while shutting down: ${(e as Error).message}`);
        io.exit(1);
      },
    );
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const stopListening = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  handle = await startServer(config, {
    onProgress: bar,
    onPhase: (ph) => {
      phase = ph;
      if (ph === 'seeding') err(`roost: seeding the demo world (${config.world.users} users, ${config.world.posts} posts) on first start…`);
    },
  }).catch((e: unknown) => {
    stopListening();
    throw e;
  });
  if (stopping) return;
  out(banner(handle.url, config, handle.boot, handle.tlsUrl));
  // Started by a parent over an IPC channel (@roost/testing): say where we listen, and stop when the parent goes.
  if (process.send) {
    process.send({ roost: 'ready', url: handle.url });
    process.once('disconnect', () => onSignal('SIGTERM'));
  }
}

async function seed(p: Parsed): Promise<void> {
  const users = Number(p.values.users);
  const posts = Number(p.values.posts);
  if (!Number.isInteger(users) || users < 1 || !Number.isInteger(posts) || posts < 1) throw new ConfigError('--users and --posts must be positive integers');
  await withDatabase(p.values, async (ctx) => {
    if ((await ctx.repos.users.count()) > 0) throw new ConfigError(`database ${ctx.config.dbUrl} already holds a world; seed into a new one (--db)`);
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      err(`\nroost: ${signal} while seeding; nothing of it was kept (the world is written in one transaction)`);
      io.exit(SIGNAL_EXIT[signal]!);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const summary = await seedWorld(ctx.store, {
      seed: ctx.config.seed ?? 1,
      users,
      posts,
      now: ctx.clock.now(),
      onProgress: createProgressBar(process.stderr),
    });
    const extras = await seedExtras(ctx.store, { seed: ctx.config.seed ?? 1, now: summary.now });
    out(JSON.stringify({ ...summary, ...extras }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// apps, users, tokens (on the database)

async function appsCreate(p: Parsed): Promise<void> {
  const type = str(p.values.type) ?? 'confidential';
  if (type !== 'confidential' && type !== 'public') throw new ConfigError('--type must be confidential or public');
  const callbacks = ((p.values.callback as string[] | undefined) ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  for (const c of callbacks) {
    const problem = redirectUriProblem(c);
    if (problem) throw new ConfigError(`--callback ${c} ${problem}`);
  }
  await withDatabase(p.values, async (ctx) => {
    const ownerName = str(p.values.owner);
    const owner = ownerName ? (await ctx.repos.users.byUsernames([ownerName])).get(ownerName.toLowerCase()) : undefined;
    if (ownerName && !owner) throw new ConfigError(`no user @${ownerName}`);
    const app = await createApp(ctx, { name: str(p.values.name) ?? 'Roost app', ownerUserId: owner?.id ?? XDEVELOPERS_ID });
    const client = await createOAuth2Client(ctx, { appId: app.id, type, redirectUris: callbacks.length ? callbacks : DEFAULT_REDIRECT_URIS });
    const lines = [
      `App ${app.id}`,
      `  consumer key:    ${app.consumerKey}`,
      `  consumer secret: ${app.consumerSecret}   (shown once)`,
      `  OAuth 2.0 client id:     ${client.clientId}   (${client.clientType})`,
    ];
    if (client.clientSecret) lines.push(`  OAuth 2.0 client secret: ${client.clientSecret}   (shown once)`);
    lines.push(`  OAuth 2.0 callback URLs: ${client.redirectUris.join(' ')}`);
    out(lines.join('\n'));
  });
}

function appLines(a: AppJson): string[] {
  return [
    `App ${a.id}${a.default ? '   (default app)' : ''}`,
    `  name:            ${a.name}`,
    `  owner:           @${a.owner_username ?? '?'} (${a.owner_id})`,
    `  consumer key:    ${a.consumer_key}`,
    `  permission:      ${a.permission}`,
    `  created:         ${a.created_at}`,
    ...(a.oauth2_client
      ? [`  OAuth 2.0 client id:     ${a.oauth2_client.client_id}   (${a.oauth2_client.client_type})`, `  OAuth 2.0 callback URLs: ${a.oauth2_client.redirect_uris.join(' ')}`]
      : []),
  ];
}

async function appsList(p: Parsed): Promise<void> {
  await withDatabase(p.values, async (ctx) => {
    const defaultId = await ctx.repos.apps.getSetting('default_app_id');
    const apps = await ctx.repos.apps.list();
    if (!apps.length) return out('No apps yet (roost serve creates the default app on first start).');
    const rows = [];
    for (const a of apps) rows.push(await appJson(ctx, a, defaultId));
    if (p.values.json) return out(JSON.stringify(rows, null, 2));
    out(rows.map((a) => `${a.id}  ${a.consumer_key}  @${a.owner_username ?? '?'}  ${a.name}${a.default ? '  (default)' : ''}`).join('\n'));
  });
}

async function appsShow(p: Parsed): Promise<void> {
  await withDatabase(p.values, async (ctx) => {
    const id = str(p.values.app) ?? (await ctx.repos.apps.getSetting('default_app_id'));
    const app = id ? await ctx.repos.apps.byId(id) : undefined;
    if (!app) throw new ConfigError(`no app ${str(p.values.app) ?? '(the default app is made on first start: roost serve)'}`);
    const a = await appJson(ctx, app, await ctx.repos.apps.getSetting('default_app_id'));
    out(p.values.json ? JSON.stringify(a, null, 2) : appLines(a).join('\n'));
  });
}

async function rotateSecret(p: Parsed): Promise<void> {
  const appId = str(p.values.app);
  if (!appId) throw new ConfigError('--app is required (see roost help apps rotate-secret)');
  await withDatabase(p.values, async (ctx) => {
    const app = await ctx.repos.apps.byId(appId);
    if (!app) throw new ConfigError(`no app ${appId}`);
    const secret = await rotateConsumerSecret(ctx, app.id);
    out(`App ${app.id}\n  consumer key:    ${app.consumerKey}\n  consumer secret: ${secret}   (shown once; the old secret no longer works)`);
  });
}

async function appsCredits(p: Parsed): Promise<void> {
  await withDatabase(p.values, async (ctx) => out(await creditsCommand(ctx, { app: str(p.values.app), add: str(p.values.add) })));
}

async function appsLimits(p: Parsed): Promise<void> {
  await withDatabase(p.values, async (ctx) =>
    out(
      await limitsCommand(ctx, {
        app: str(p.values.app),
        operation: str(p.values.operation),
        'per-15min': str(p.values['per-15min']),
        'per-24h': str(p.values['per-24h']),
        reset: p.values.reset === true,
      }),
    ),
  );
}

async function usersCreate(p: Parsed): Promise<void> {
  const username = str(p.values.username);
  if (!username) throw new ConfigError('--username is required (see roost help users create)');
  await withDatabase(p.values, async (ctx) => {
    // The admin API's own checks and row.
    const u = await makeUser(ctx, {
      username,
      name: str(p.values.name),
      description: str(p.values.description),
      protected: p.values.protected === true,
      verified: p.values.verified === true,
    });
    out(`User ${u.id} @${u.username} (${u.name})`);
  });
}

const DM_ALLOW: readonly DmAllowFrom[] = ['everyone', 'verified', 'following'];

async function usersDmSettings(p: Parsed): Promise<void> {
  const userName = str(p.values.user)?.replace(/^@/, '');
  if (!userName) throw new ConfigError('--user is required (see roost help users dm-settings)');
  const allow = str(p.values.allow);
  if (allow !== undefined && !DM_ALLOW.includes(allow as DmAllowFrom)) throw new ConfigError(`--allow takes ${DM_ALLOW.join(', ')}`);
  await withDatabase(p.values, async (ctx) => {
    const user = (await ctx.repos.users.byUsernames([userName])).get(userName.toLowerCase());
    if (!user) throw new ConfigError(`no user @${userName}`);
    if (allow !== undefined) await setDmSettings(ctx, user.id, allow as DmAllowFrom);
    const now = (await ctx.repos.dms.settingsOf([user.id])).get(user.id) ?? DEFAULT_DM_ALLOW_FROM;
    out(`@${user.username} takes Direct Messages from: ${now}`);
  });
}

async function tokensCreate(p: Parsed): Promise<void> {
  const userName = str(p.values.user);
  if (!userName) throw new ConfigError('--user is required (see roost help tokens create)');
  await withDatabase(p.values, async (ctx) => {
    const user = (await ctx.repos.users.byUsernames([userName.replace(/^@/, '')])).get(userName.replace(/^@/, '').toLowerCase());
    if (!user) throw new ConfigError(`no user @${userName.replace(/^@/, '')}`);
    const appId = str(p.values.app) ?? (await ctx.repos.apps.getSetting('default_app_id'));
    const app = appId ? await ctx.repos.apps.byId(appId) : undefined;
    if (!app) throw new ConfigError('no such app (start the server once to create the default app)');
    if (p.values.oauth1) {
      if (p.values.scopes !== undefined) throw new ConfigError('--scopes is for OAuth 2.0 tokens; an OAuth 1.0a token has the app\'s permission level');
      // Regenerating: this user's earlier OAuth 1.0a tokens for the app stop working.
      const t = await mintOAuth1AccessToken(ctx, { appId: app.id, userId: user.id, permission: app.permission as AppPermission, revokeOthers: true });
      out(`access token:        ${t.token}\naccess token secret: ${t.secret}   (shown once)`);
      return;
    }
    const scopes = str(p.values.scopes) ? str(p.values.scopes)!.split(/[\s,]+/).filter(Boolean) : ALL_SCOPES;
    out(await mintUserToken(ctx, { appId: app.id, userId: user.id, scopes }));
  });
}

/**
 * Rebuilds every post's search document with the current indexing code (after an upgrade that changed
 * search/doc.ts; migrations never re-index). Safe on a live database: each batch is replaced in one transaction.
 */
async function secretsRotate(p: Parsed): Promise<void> {
  await withDatabase(p.values, async (ctx) => {
    const { key, resealed } = await rotateSecretKey(ctx.repos, ctx.secretKey);
    if (ctx.secretKey.file) out(`Re-sealed ${resealed} secrets under a new key, now in ${ctx.secretKey.file}.`);
    else out(`Re-sealed ${resealed} secrets under a new key. Set it before the next start:\n\nROOST_SECRET_KEY=${key}`);
  });
}

/** Recent webhook deliveries, newest first, optionally of one webhook and/or status. */
async function webhooksDeliveries(p: Parsed): Promise<void> {
  const status = str(p.values.status);
  if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
    throw new ConfigError(`--status must be one of ${DELIVERY_STATUSES.join(', ')} (got ${status})`);
  }
  const webhookId = str(p.values.webhook);
  if (webhookId !== undefined && !/^\d{1,19}$/.test(webhookId)) throw new ConfigError(`--webhook takes a webhook id (digits), got ${webhookId}`);
  const raw = str(p.values.limit);
  const limit = raw === undefined ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError(`--limit must be an integer from 1 to 1000 (got ${raw})`);
  await withDatabase(p.values, async (ctx) => {
    out(deliveriesTable(await ctx.repos.deliveries.recent({ webhookId, status: status as DeliveryStatus | undefined, limit })));
  });
}

async function reindex(p: Parsed): Promise<void> {
  const raw = str(p.values.batch);
  const batch = raw === undefined ? undefined : Number(raw);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) throw new ConfigError('usage: roost reindex [--batch N] [--db URL] (N a positive integer)');
  await withDatabase(p.values, async (ctx) => {
    const tty = process.stderr.isTTY;
    const n = await reindexPosts(ctx.store.db, ctx.store.dialect, { batch, onProgress: tty ? (k) => process.stderr.write(`\r  ${k} posts`) : undefined });
    if (tty) process.stderr.write('\n');
    out(`Reindexed ${n} posts (database: ${redactDbUrl(ctx.config.dbUrl)})`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// clock, faults, requests, reset (on a running server, through its admin API)

const clockLine = (c: ClockJson) => `${c.now}${c.frozen ? '  (frozen)' : ''}  offset ${c.offset_ms >= 0 ? '+' : ''}${c.offset_ms} ms`;

async function clockCommand(p: Parsed, action: 'show' | 'advance' | 'set' | 'freeze' | 'resume'): Promise<void> {
  const t = adminTarget(p.values);
  const arg = p.positionals[0];
  let c: ClockJson;
  if (action === 'show') c = await adminCall<ClockJson>(t, 'getClock');
  else if (action === 'advance') {
    const ms = arg === undefined ? null : parseDuration(arg);
    if (ms === null) throw new ConfigError('roost clock advance takes a duration: 15m, 90s, 2h, -1d, 500ms or milliseconds');
    c = await adminCall<ClockJson>(t, 'advanceClock', { body: { ms } });
  } else if (action === 'set') {
    if (!arg || parseInstant(arg) === null) throw new ConfigError('roost clock set takes an ISO 8601 time (2026-01-01T00:00:00Z) or epoch milliseconds');
    c = await adminCall<ClockJson>(t, 'setClock', { body: { time: arg } });
  } else if (action === 'freeze') {
    if (arg !== undefined && parseInstant(arg) === null) throw new ConfigError('roost clock freeze takes an optional ISO 8601 time or epoch milliseconds');
    c = await adminCall<ClockJson>(t, 'freezeClock', { body: arg === undefined ? {} : { time: arg } });
  } else c = await adminCall<ClockJson>(t, 'resumeClock');
  out(clockLine(c));
}

const faultLine = (f: FaultJson) =>
  [
    `${f.id}  ${f.fault}`,
    f.operation ? `operation=${f.operation.join(',')}` : null,
    f.app ? `app=${f.app}` : null,
    f.user ? `user=${f.user}` : null,
    f.probability !== undefined && f.probability < 1 ? `probability=${f.probability} seed=${f.seed}` : null,
    f.count !== undefined ? `count=${f.count}` : null,
    f.ms !== undefined ? `ms=${f.ms}` : null,
    f.reset_in_s !== undefined ? `reset_in_s=${f.reset_in_s}` : null,
    f.period ? `period=${f.period}` : null,
    `fired=${f.fired}${f.active ? '' : ' (spent)'}`,
  ]
    .filter(Boolean)
    .join('  ');

async function faultsList(p: Parsed): Promise<void> {
  const r = await adminCall<{ data: FaultJson[] }>(adminTarget(p.values), 'listFaults');
  out(r.data.length ? r.data.map(faultLine).join('\n') : 'No fault rules.');
}

async function faultsAdd(p: Parsed): Promise<void> {
  const v = p.values;
  const fault = str(v.fault);
  if (!fault) throw new ConfigError(`--fault is required: one of ${FAULT_KINDS.join(', ')}`);
  const body: Record<string, unknown> = { fault };
  if (v.operation) body.operation = (v.operation as string[]).flatMap((o) => o.split(',')).filter(Boolean);
  if (str(v.app)) body.app = v.app;
  if (str(v.user)) body.user = v.user;
  const num = (name: string, integer = true) => {
    const raw = str(v[name]);
    if (raw === undefined) return;
    const n = name === 'ms' ? parseDuration(raw) : Number(raw);
    if (n === null || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new ConfigError(`--${name} must be ${integer ? 'an integer' : 'a number'}`);
    body[name.replace(/-/g, '_')] = n;
  };
  num('probability', false);
  num('seed');
  num('count');
  num('ms');
  num('reset-in-s');
  if (str(v.period)) body.period = v.period;
  const r = await adminCall<{ data: FaultJson }>(adminTarget(v), 'addFault', { body });
  out(faultLine(r.data));
}

async function faultsRemove(p: Parsed): Promise<void> {
  const id = p.positionals[0];
  if (!id) throw new ConfigError('roost faults remove takes the rule id (roost faults list shows them)');
  await adminCall(adminTarget(p.values), 'removeFault', { params: { id } });
  out(`Removed fault rule ${id}.`);
}

async function faultsClear(p: Parsed): Promise<void> {
  const r = await adminCall<{ data: { deleted: number } }>(adminTarget(p.values), 'clearFaults');
  out(`Removed ${r.data.deleted} fault rule(s).`);
}

async function requestsCommand(p: Parsed): Promise<void> {
  const v = p.values;
  const query = { operation: str(v.operation), app: str(v.app), user: str(v.user), method: str(v.method), since: str(v.since), status: str(v.status), limit: str(v.limit) };
  const t = adminTarget(v);
  if (v.clear) {
    await adminCall(t, 'clearRequests');
    return out('Request log cleared.');
  }
  const r = await adminCall<RequestLogJson>(t, 'listRequests', { query });
  if (v.json) return out(JSON.stringify(r.data, null, 2));
  if (!r.data.length) return out('No requests logged.');
  for (const e of r.data) {
    const who = [e.app_id ? `app=${e.app_id}` : null, e.user_id ? `user=${e.user_id}` : null].filter(Boolean).join(' ');
    const body = e.body === undefined ? '' : `  ${JSON.stringify(e.body).slice(0, 200)}`;
    out(`${e.seq}  ${e.at}  ${e.method} ${e.path}  ${e.operation_id ?? '-'}  ${e.auth}${who ? ` ${who}` : ''}  ${e.status}${e.fault ? ` (fault ${e.fault})` : ''}${body}`);
  }
}

async function resetCommand(p: Parsed): Promise<void> {
  const r = await adminCall<ResetJson>(adminTarget(p.values), 'reset');
  out(`Reset to the start snapshot in ${r.took_ms} ms; clock ${clockLine(r.clock)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// zero-change mode

/** The default HTTPS port `roost trust` suggests when ROOST_TLS_PORT is not set. */
const SUGGESTED_TLS_PORT = 8443;

async function trustCommand(p: Parsed): Promise<void> {
  const env = readEnv();
  if (typeof p.values.dir === 'string') env.ROOST_TLS_DIR = p.values.dir;
  if (typeof p.values.port === 'string') env.ROOST_PORT = p.values.port;
  if (typeof p.values['tls-port'] === 'string') env.ROOST_TLS_PORT = p.values['tls-port'];
  env.ROOST_TLS_PORT ??= String(SUGGESTED_TLS_PORT);
  const config = buildConfig(env);
  if (config.port === 0 || config.tls!.port === 0) throw new ConfigError('roost trust needs fixed ports to print (--port, --tls-port); 0 picks one only when serving');
  const trust = ensureTrust(config.tls!.dir);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const dir = tlsDir(env);
  out(trustText({ trust, host, port: config.port, tlsPort: config.tls!.port, dirSetting: dir === tlsDir({}) ? null : trust.files.dir }));
}

// ---------------------------------------------------------------------------------------------------------------
// the command table

const SERVE_FLAGS: Flags = {
  host: { type: 'string', arg: 'HOST', description: 'listen address (default ROOST_HOST, 127.0.0.1)' },
  port: { type: 'string', arg: 'PORT', description: 'listen port, 0 = any free one (default ROOST_PORT, 8080)' },
  ...DB_FLAG,
  seed: { type: 'string', arg: 'N|off', description: 'demo world seed on an empty database, or off (default ROOST_SEED, 1)' },
};

const clockSub = (name: 'show' | 'advance' | 'set' | 'freeze' | 'resume', summary: string, args?: string, details?: string[]): CommandSpec => ({
  name: `clock ${name}`,
  summary,
  args,
  flags: SERVER_FLAGS,
  maxPositionals: args ? 1 : 0,
  details,
  run: (p) => clockCommand(p, name),
});

export const commands: CommandSpec[] = [
  {
    name: 'serve',
    summary: 'Starts the server (first start: seeds the demo world, prints the default credentials).',
    flags: SERVE_FLAGS,
    details: [
      'The port is bound before anything is seeded or created. The first start prints the default app\'s bearer',
      'token, consumer key and secret, OAuth 2.0 client, and a user token and an OAuth 1.0a token pair for',
      '@XDevelopers; secrets are shown once unless pinned by ROOST_CONSUMER_KEY/SECRET, ROOST_ACCESS_TOKEN/SECRET,',
      'ROOST_CLIENT_ID/SECRET, ROOST_BEARER_TOKEN, ROOST_USER_TOKEN. SIGINT/SIGTERM stop it cleanly.',
    ],
    run: serve,
  },
  {
    name: 'seed',
    summary: 'Writes a bigger demo world into a new database, with a progress bar.',
    flags: {
      users: { type: 'string', arg: 'N', description: 'accounts (required)' },
      posts: { type: 'string', arg: 'M', description: 'posts (required)' },
      seed: { type: 'string', arg: 'S', description: 'seed number (default 1)' },
      ...DB_FLAG,
    },
    details: ['Example: roost seed --users 10000 --posts 1000000 --db ./data/big.db   (refuses a database that holds users)'],
    run: seed,
  },
  {
    name: 'apps',
    summary: 'Apps: create, list, show, rotate-secret, credits, limits.',
    flags: {},
    subcommands: [
      {
        name: 'apps create',
        summary: 'Creates an app; prints its consumer key and secret and its OAuth 2.0 client (secrets once).',
        flags: {
          name: { type: 'string', arg: 'NAME', description: 'app name' },
          owner: { type: 'string', arg: 'USERNAME', description: 'owning account (default @XDevelopers)' },
          type: { type: 'string', arg: 'confidential|public', description: 'OAuth 2.0 client type (default confidential)' },
          callback: { type: 'string', arg: 'URL', multiple: true, description: 'OAuth 2.0 redirect URI (repeatable or comma-separated)' },
          ...DB_FLAG,
        },
        run: appsCreate,
      },
      {
        name: 'apps list',
        summary: 'Lists the apps: id, consumer key, owner, name.',
        flags: { json: { type: 'boolean', description: 'print JSON' }, ...DB_FLAG },
        run: appsList,
      },
      {
        name: 'apps show',
        summary: 'Shows one app (default: the default app); secrets are never shown again.',
        flags: { app: { type: 'string', arg: 'APP_ID', description: 'app id (default: the default app)' }, json: { type: 'boolean', description: 'print JSON' }, ...DB_FLAG },
        run: appsShow,
      },
      {
        name: 'apps rotate-secret',
        summary: 'Gives an app a new consumer secret (printed once); the old one stops working.',
        flags: { app: { type: 'string', arg: 'APP_ID', description: 'app id (required)' }, ...DB_FLAG },
        run: rotateSecret,
      },
      {
        name: 'apps credits',
        summary: "Shows an app's pay-per-use credit balance, or adds to it.",
        flags: { app: { type: 'string', arg: 'APP_ID', description: 'app id (default: the default app)' }, add: { type: 'string', arg: 'USD', description: 'add (or, negative, take) this many dollars' }, ...DB_FLAG },
        run: appsCredits,
      },
      {
        name: 'apps limits',
        summary: "Shows or sets an app's rate-limit overrides per operation.",
        flags: {
          app: { type: 'string', arg: 'APP_ID', description: 'app id (default: the default app)' },
          operation: { type: 'string', arg: 'OP', description: 'operationId, e.g. getUsersMe' },
          'per-15min': { type: 'string', arg: 'N', description: 'requests per 15 minutes' },
          'per-24h': { type: 'string', arg: 'N', description: 'requests per 24 hours' },
          reset: { type: 'boolean', description: "back to the operation's own limits" },
          ...DB_FLAG,
        },
        run: appsLimits,
      },
    ],
  },
  {
    name: 'users',
    summary: 'Users: create, DM settings.',
    flags: {},
    subcommands: [
      {
        name: 'users create',
        summary: 'Creates an account (no posts, no followers).',
        flags: {
          username: { type: 'string', arg: 'NAME', description: 'handle, 1-15 of A-Z a-z 0-9 _ (required)' },
          name: { type: 'string', arg: 'TEXT', description: 'display name (default: the username)' },
          description: { type: 'string', arg: 'TEXT', description: 'bio' },
          protected: { type: 'boolean', description: 'protected account' },
          verified: { type: 'boolean', description: 'verified account' },
          ...DB_FLAG,
        },
        run: usersCreate,
      },
      {
        name: 'users dm-settings',
        summary: 'Shows or sets who may start Direct Messages and chats with a user (X has no API for it).',
        flags: {
          user: { type: 'string', arg: 'USERNAME', description: 'the user (required)' },
          allow: { type: 'string', arg: DM_ALLOW.join('|'), description: 'who may message them first (accounts they follow always may)' },
          ...DB_FLAG,
        },
        details: [`Without --allow, prints the setting (${DEFAULT_DM_ALLOW_FROM} when never set, as at X).`, 'Example:', '  roost users dm-settings --user XDevelopers --allow everyone'],
        run: usersDmSettings,
      },
    ],
  },
  {
    name: 'tokens',
    summary: 'Tokens: create (an OAuth 2.0 user token, or with --oauth1 an OAuth 1.0a token pair).',
    flags: {},
    subcommands: [
      {
        name: 'tokens create',
        summary: 'Mints a user token for an app: OAuth 2.0 with scopes, or --oauth1 for an access token and secret.',
        flags: {
          user: { type: 'string', arg: 'USERNAME', description: 'the user (required)' },
          scopes: { type: 'string', arg: '"tweet.read users.read …"', description: 'OAuth 2.0 scopes (default: all)' },
          oauth1: { type: 'boolean', description: "an OAuth 1.0a access token and secret instead (replaces the user's earlier ones for the app)" },
          app: { type: 'string', arg: 'APP_ID', description: 'app id (default: the default app)' },
          ...DB_FLAG,
        },
        details: ['Examples:', '  roost tokens create --user XDevelopers --scopes "tweet.read users.read"', '  roost tokens create --user XDevelopers --oauth1'],
        run: tokensCreate,
      },
    ],
  },
  {
    name: 'secrets',
    summary: "The secret key that seals the database's secrets: rotate.",
    flags: {},
    subcommands: [
      {
        name: 'secrets rotate',
        summary: 'Re-seals every sealed secret under a new key in one transaction; every credential keeps working.',
        flags: { ...DB_FLAG },
        details: [
          'With a key file (ROOST_SECRET_KEY_FILE, default <SQLite file>.key) the new key replaces it; a crash',
          'part-way leaves a key that opens the database. With ROOST_SECRET_KEY the new key is printed: set it',
          'before the next start. Stop the server (every node) first: a running one keeps the old key in memory.',
        ],
        run: secretsRotate,
      },
    ],
  },
  {
    name: 'spaces',
    summary: 'Spaces: create (live now or scheduled), start, end.',
    flags: {},
    subcommands: [
      {
        name: 'spaces create',
        summary: 'Creates a Space: live now, or scheduled with --start; it ends by itself after --length.',
        flags: {
          host: { type: 'string', arg: 'USERNAME', description: 'the creator (required)' },
          title: { type: 'string', arg: 'TEXT', description: '1-70 characters (required)' },
          start: { type: 'string', arg: 'TIME', description: 'scheduled start, ISO 8601 or epoch ms (default: live now)' },
          length: { type: 'string', arg: 'DURATION', description: 'how long it stays live, e.g. 45m (default: until ended)' },
          ticketed: { type: 'boolean', description: 'a ticketed Space' },
          ...DB_FLAG,
        },
        details: ['Example: roost spaces create --host XDevelopers --title "API office hours" --start 2026-11-01T18:00:00Z --length 1h'],
        run: (p) => withDatabase(p.values, async (ctx) => out(await spacesCreate(ctx, p.values as Parameters<typeof spacesCreate>[1]))),
      },
      {
        name: 'spaces start',
        summary: 'A scheduled Space goes live now.',
        args: 'ID',
        maxPositionals: 1,
        flags: DB_FLAG,
        run: (p) => withDatabase(p.values, async (ctx) => out(await spacesDrive(ctx, 'start', p.positionals[0]))),
      },
      {
        name: 'spaces end',
        summary: 'A live Space ends now.',
        args: 'ID',
        maxPositionals: 1,
        flags: DB_FLAG,
        run: (p) => withDatabase(p.values, async (ctx) => out(await spacesDrive(ctx, 'end', p.positionals[0]))),
      },
    ],
  },
  {
    name: 'notes',
    summary: 'Community Notes: request a note on a post.',
    flags: {},
    subcommands: [
      {
        name: 'notes request',
        summary: 'Someone asks for a Community Note on a post; with enough requests it is eligible for notes.',
        flags: {
          post: { type: 'string', arg: 'ID', description: 'the post (required)' },
          user: { type: 'string', arg: 'USERNAME', description: 'who asks (required)' },
          source: { type: 'string', arg: 'ID', description: 'a post suggested as a source' },
          ...DB_FLAG,
        },
        details: ['A post is eligible once max(5, impressions / 25,000) people asked.', 'Example: roost notes request --post 1346889436626259968 --user XDevelopers'],
        run: (p) => withDatabase(p.values, async (ctx) => out(await notesRequest(ctx, p.values as Parameters<typeof notesRequest>[1]))),
      },
    ],
  },
  {
    name: 'webhooks',
    summary: 'Webhook deliveries: what was sent, how often it was tried and where each stands.',
    flags: {},
    subcommands: [
      {
        name: 'webhooks deliveries',
        summary: 'Lists recent deliveries, newest first: webhook, event type, attempts, status and last error.',
        flags: {
          webhook: { type: 'string', arg: 'WEBHOOK_ID', description: 'only this webhook' },
          status: { type: 'string', arg: 'STATUS', description: `only this status: ${DELIVERY_STATUSES.join(', ')}` },
          limit: { type: 'string', arg: 'N', description: 'how many (1-1000, default 20)' },
          ...DB_FLAG,
        },
        details: [
          'pending: not delivered yet (retried with backoff); delivered: the receiver answered 2xx; dead: given up',
          "after X's retry window; cancelled: its webhook was deleted. Reads the database, so it works with the",
          'server running or stopped.',
          'Examples:',
          '  roost webhooks deliveries --status dead',
          '  roost webhooks deliveries --webhook 1790000000000000000 --limit 50',
        ],
        run: webhooksDeliveries,
      },
    ],
  },
  {
    name: 'reindex',
    summary: "Rebuilds every post's search document (after an upgrade that changed how posts are indexed).",
    flags: { batch: { type: 'string', arg: 'N', description: 'posts per transaction' }, ...DB_FLAG },
    details: ['Safe on a live database: each batch is replaced in one transaction.'],
    run: reindex,
  },
  {
    name: 'clock',
    summary: "Time travel on a running server (admin API): show, advance, set, freeze, resume.",
    flags: {},
    subcommands: [
      clockSub('show', "Prints the server's time, frozen or not, and its offset from the wall clock."),
      clockSub('advance', 'Moves the clock forward (or back, with a minus).', 'DURATION', ['DURATION: 15m, 90s, 2h, 1d12h, -1h, 500ms, or milliseconds.']),
      clockSub('set', 'Jumps to an instant; a running clock runs on from there.', 'TIME', ['TIME: ISO 8601 (2026-01-01T00:00:00Z) or epoch milliseconds.']),
      clockSub('freeze', 'Stops the clock, where it is or at TIME.', '[TIME]'),
      clockSub('resume', 'Lets a frozen clock run again.'),
    ],
  },
  {
    name: 'faults',
    summary: 'Fault injection on a running server (admin API): list, add, remove, clear.',
    flags: {},
    subcommands: [
      { name: 'faults list', summary: 'Lists the fault rules and how often each fired.', flags: SERVER_FLAGS, run: faultsList },
      {
        name: 'faults add',
        summary: 'Adds a fault rule.',
        flags: {
          fault: { type: 'string', arg: 'KIND', description: FAULT_KINDS.join(' | ') },
          operation: { type: 'string', arg: 'OP', multiple: true, description: 'operationId(s) it applies to (default: all)' },
          app: { type: 'string', arg: 'APP_ID', description: 'only calls of this app' },
          user: { type: 'string', arg: 'USER', description: 'only calls of this user (id or @username)' },
          probability: { type: 'string', arg: 'P', description: 'chance 0-1 a matching call gets it (default 1)' },
          seed: { type: 'string', arg: 'N', description: 'seed of the probability draws' },
          count: { type: 'string', arg: 'N', description: 'fire at most N times' },
          ms: { type: 'string', arg: 'DURATION', description: 'latency: the delay; stream faults: time before they strike' },
          'reset-in-s': { type: 'string', arg: 'S', description: 'rate-limit: seconds until x-rate-limit-reset' },
          period: { type: 'string', arg: 'Monthly|Daily', description: 'usage-cap: the period in the body' },
          ...SERVER_FLAGS,
        },
        details: [
          'Examples:',
          '  roost faults add --fault rate-limit --operation createPosts --count 1 --reset-in-s 2',
          '  roost faults add --fault unavailable --probability 0.3 --seed 7',
          '  roost faults add --fault stream-disconnect --operation streamPosts --ms 5s --count 1',
        ],
        run: faultsAdd,
      },
      { name: 'faults remove', summary: 'Removes one rule.', args: 'ID', maxPositionals: 1, flags: SERVER_FLAGS, run: faultsRemove },
      { name: 'faults clear', summary: 'Removes every rule.', flags: SERVER_FLAGS, run: faultsClear },
    ],
  },
  {
    name: 'requests',
    summary: 'The request log of a running server (admin API): method, path, operation, auth, app, user, status, body.',
    flags: {
      operation: { type: 'string', arg: 'OP', description: 'only this operationId' },
      app: { type: 'string', arg: 'APP_ID', description: 'only this app' },
      user: { type: 'string', arg: 'USER_ID', description: 'only this user' },
      method: { type: 'string', arg: 'METHOD', description: 'only this HTTP method' },
      status: { type: 'string', arg: 'CODE', description: 'only this status' },
      since: { type: 'string', arg: 'SEQ', description: 'only entries after this sequence number' },
      limit: { type: 'string', arg: 'N', description: 'the newest N' },
      json: { type: 'boolean', description: 'print JSON' },
      clear: { type: 'boolean', description: 'empty the log instead' },
      ...SERVER_FLAGS,
    },
    run: requestsCommand,
  },
  {
    name: 'reset',
    summary: 'Brings a running server back to its start (admin API; the server needs ROOST_RESETTABLE=on).',
    flags: SERVER_FLAGS,
    run: resetCommand,
  },
  {
    name: 'trust',
    summary: 'Makes the local CA for zero-change mode and prints what to set so X clients reach Roost unchanged.',
    flags: {
      dir: { type: 'string', arg: 'DIR', description: 'where the CA and certificate live (default ROOST_TLS_DIR, ./data/tls)' },
      port: { type: 'string', arg: 'PORT', description: 'Roost\'s plain port, the HTTPS proxy (default ROOST_PORT, 8080)' },
      'tls-port': { type: 'string', arg: 'PORT', description: `Roost's HTTPS port (default ROOST_TLS_PORT, ${SUGGESTED_TLS_PORT})` },
    },
    details: [
      'Zero-change mode: with ROOST_TLS_PORT set, `roost serve` also serves HTTPS as api.x.com, upload.x.com,',
      'stream.x.com, x.com, api.twitter.com, upload.twitter.com, twitter.com (and their subdomains), with a',
      'certificate from this CA, and its plain port tunnels CONNECT to those hosts (an HTTPS proxy).',
      'The output is a shell script: NODE_EXTRA_CA_CERTS, NODE_OPTIONS (a preload for Node) and ROOST_X_ADDRESS;',
      'REQUESTS_CA_BUNDLE, SSL_CERT_FILE and HTTPS_PROXY (Python); /etc/hosts lines for root. eval "$(roost trust)"',
      'applies it. An existing CA is kept (what trusts it keeps working); a missing or expiring certificate is remade.',
    ],
    run: trustCommand,
  },
];

const helpCommand: CommandSpec = { name: 'help', summary: 'Help for a command: roost help <command> [subcommand].', args: '[COMMAND]', maxPositionals: 2, flags: {} };
const allCommands = [...commands, helpCommand];

function printHelp(words: string[]): void {
  if (!words.length) return out(mainHelp(allCommands));
  const { cmd, rest } = findCommand(allCommands, words);
  if (!cmd || rest.length) throw new ConfigError(`no command ${words.join(' ')}; commands: ${commands.map((c) => c.name).join(', ')}`);
  out(commandHelp(cmd));
}

async function dispatch(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') return printHelp([]);
  if (argv[0] === 'help') return printHelp(argv.slice(1));
  const { cmd, rest } = findCommand(commands, argv);
  if (!cmd) throw new ConfigError(`unknown command ${argv[0]}; commands: ${commands.map((c) => c.name).join(', ')} (roost --help)`);
  if (cmd.subcommands) {
    if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h') return out(commandHelp(cmd));
    throw new ConfigError(`unknown command ${cmd.name} ${rest[0]}; ${cmd.name} has ${cmd.subcommands.map((s) => s.name.split(' ').pop()).join(', ')} (roost help ${cmd.name})`);
  }
  const p = parseFor(cmd, rest);
  if (p.help) return out(commandHelp(cmd));
  await cmd.run!(p);
}

/** One line for any failure (2: bad input or setting, 1: anything else); a stack only at ROOST_LOG_LEVEL=debug. */
function report(e: unknown): number {
  if (e instanceof ConfigError || e instanceof StartupError || e instanceof ApiError || e instanceof KeyError) {
    const msg = e instanceof InvalidRequest ? e.items.map((i) => i.message).join('; ') : e.message;
    err(`roost: ${msg}`);
    return 2;
  }
  const x = e as Error;
  err(`roost: ${(x?.message ?? String(e)).split('\n')[0]}`);
  const level = readEnv().ROOST_LOG_LEVEL;
  if ((level === 'debug' || level === 'trace') && x?.stack) err(x.stack);
  return 1;
}

/** Runs one command line; the exit status (a server keeps running after `serve` resolves). */
export async function runCli(argv: string[], cliIo: CliIo = processIo): Promise<number> {
  io = cliIo;
  try {
    await dispatch(argv);
    return 0;
  } catch (e) {
    return report(e);
  }
}
