/**
 * `roost` — the only place that reads argv, prints to the terminal and exits the process.
 *   roost serve [--host H] [--port P] [--db URL] [--seed N|off]
 *   roost seed --users N --posts M [--seed S] [--db URL]
 *   roost apps create --name NAME [--owner USERNAME] [--type confidential|public] [--callback URL]… [--db URL]
 *   roost apps rotate-secret --app APP_ID [--db URL]
 *   roost apps credits [--app APP_ID] [--add USD] [--db URL]
 *   roost apps limits [--app APP_ID] [--operation OP (--per-15min N | --per-24h N | --reset)] [--db URL]
 *   roost tokens create --user USERNAME [--scopes "tweet.read users.read …"] [--app APP_ID] [--db URL]
 *   roost tokens create --user USERNAME --oauth1 [--app APP_ID] [--db URL]
 *   roost reindex [--batch N] [--db URL]
 */
import { parseArgs } from 'node:util';
import { readEnv, type RawEnv } from './env.js';
import { buildConfig, ConfigError, type Config } from './config.js';
import { startServer } from './server.js';
import { createContext } from './context.js';
import { seedWorld } from './seed/world.js';
import { createProgressBar } from './seed/progress.js';
import { createApp, mintUserToken, ALL_SCOPES } from './auth/issue.js';
import { createOAuth2Client, DEFAULT_REDIRECT_URIS, redirectUriProblem } from './auth/oauth2.js';
import { XDEVELOPERS_ID } from './seed/anchor.js';
import { mintOAuth1AccessToken, rotateConsumerSecret } from './auth/oauth1.js';
import type { AppPermission } from './data/oauth1.js';
import { ApiError } from './errors.js';
import { creditsCommand, limitsCommand } from './limits/cli-commands.js';
import { openStore } from './db/connect.js';
import { reindexPosts } from './data/search.js';

function configFrom(values: Record<string, string | boolean | undefined>): Config {
  const env: RawEnv = readEnv();
  if (typeof values.host === 'string') env.ROOST_HOST = values.host;
  if (typeof values.port === 'string') env.ROOST_PORT = values.port;
  if (typeof values.db === 'string') env.ROOST_DB_URL = values.db;
  if (typeof values.seed === 'string') env.ROOST_SEED = values.seed;
  return buildConfig(env);
}

const common = {
  host: { type: 'string' },
  port: { type: 'string' },
  db: { type: 'string' },
  seed: { type: 'string' },
} as const;

async function serve(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: common, strict: true });
  const config = configFrom(values);
  const bar = process.stderr.isTTY ? createProgressBar(process.stderr) : undefined;
  const handle = await startServer(config, { onProgress: bar });
  // Handlers first: whoever reads the start-up lines below may signal us right away.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    handle.ctx.log.info({ signal }, 'shutting down');
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const b = handle.boot;
  const lines = [
    `Roost listening on ${handle.url} (database: ${config.dbUrl}${b.seeded ? ', demo world seeded' : ''})`,
    `  App-only bearer token (default app): ${b.bearerToken}`,
  ];
  if (b.createdApp) {
    lines.push(`  Default app consumer key:    ${b.createdApp.consumerKey}`);
    lines.push(`  Default app consumer secret: ${b.createdApp.consumerSecret}   (shown once)`);
  }
  if (b.createdClient) {
    lines.push(`  OAuth 2.0 client id:         ${b.createdClient.clientId}   (${b.createdClient.clientType}; callbacks ${b.createdClient.redirectUris.join(', ')}, any port)`);
    if (b.createdClient.clientSecret) lines.push(`  OAuth 2.0 client secret:     ${b.createdClient.clientSecret}   (shown once)`);
  }
  if (b.userToken) lines.push(`  User token for @XDevelopers (all scopes): ${b.userToken}${config.userToken ? '' : '   (shown once)'}`);
  else lines.push('  User tokens: npm run roost -- tokens create --user XDevelopers');
  lines.push(`  Try: curl "${handle.url}/2/users/by/username/xdevelopers?user.fields=created_at,description,public_metrics" -H "Authorization: Bearer $TOKEN"`);
  console.log(lines.join('\n'));
}

async function seed(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { ...common, users: { type: 'string' }, posts: { type: 'string' } }, strict: true });
  const config = configFrom(values);
  const users = Number(values.users ?? config.world.users);
  const posts = Number(values.posts ?? config.world.posts);
  if (!Number.isInteger(users) || users < 1 || !Number.isInteger(posts) || posts < 1) throw new ConfigError('--users and --posts must be positive integers');
  const ctx = await createContext(config);
  try {
    if ((await ctx.repos.users.count()) > 0) throw new ConfigError(`database ${config.dbUrl} already holds a world; seed into a new one (--db)`);
    const summary = await seedWorld(ctx.store, {
      seed: config.seed ?? 1,
      users,
      posts,
      now: ctx.clock.now(),
      onProgress: createProgressBar(process.stderr),
    });
    console.log(JSON.stringify(summary));
  } finally {
    await ctx.store.close();
  }
}

async function apps(argv: string[]) {
  const [sub, ...rest] = argv;
  const usage = 'usage: roost apps create --name NAME [--owner USERNAME] [--type confidential|public] [--callback URL]…';
  if (sub === 'rotate-secret') return rotateSecret(rest);
  if (sub === 'credits' || sub === 'limits') return appLimitsOrCredits(sub, rest);
  if (sub !== 'create') throw new ConfigError(usage);
  const { values } = parseArgs({
    args: rest,
    options: {
      ...common,
      name: { type: 'string' },
      owner: { type: 'string' },
      type: { type: 'string' },
      callback: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const type = values.type ?? 'confidential';
  if (type !== 'confidential' && type !== 'public') throw new ConfigError(`--type must be confidential or public\n${usage}`);
  const callbacks = (values.callback ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  for (const c of callbacks) {
    const problem = redirectUriProblem(c);
    if (problem) throw new ConfigError(`--callback ${c} ${problem}`);
  }
  const { callback: _callbacks, ...configValues } = values;
  const ctx = await createContext(configFrom(configValues));
  try {
    const owner = values.owner ? (await ctx.repos.users.byUsernames([values.owner])).get(values.owner.toLowerCase()) : undefined;
    if (values.owner && !owner) throw new ConfigError(`no user @${values.owner}`);
    const app = await createApp(ctx, { name: values.name ?? 'Roost app', ownerUserId: owner?.id ?? XDEVELOPERS_ID });
    const client = await createOAuth2Client(ctx, { appId: app.id, type, redirectUris: callbacks.length ? callbacks : DEFAULT_REDIRECT_URIS });
    const lines = [
      `App ${app.id}`,
      `  consumer key:    ${app.consumerKey}`,
      `  consumer secret: ${app.consumerSecret}   (shown once)`,
      `  OAuth 2.0 client id:     ${client.clientId}   (${client.clientType})`,
    ];
    if (client.clientSecret) lines.push(`  OAuth 2.0 client secret: ${client.clientSecret}   (shown once)`);
    lines.push(`  OAuth 2.0 callback URLs: ${client.redirectUris.join(' ')}`);
    console.log(lines.join('\n'));
  } finally {
    await ctx.store.close();
  }
}

async function rotateSecret(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { ...common, app: { type: 'string' } }, strict: true });
  if (!values.app) throw new ConfigError('usage: roost apps rotate-secret --app APP_ID');
  const ctx = await createContext(configFrom(values));
  try {
    const app = await ctx.repos.apps.byId(values.app);
    if (!app) throw new ConfigError(`no app ${values.app}`);
    const secret = await rotateConsumerSecret(ctx, app.id);
    console.log(`App ${app.id}\n  consumer key:    ${app.consumerKey}\n  consumer secret: ${secret}   (shown once; the old secret no longer works)`);
  } finally {
    await ctx.store.close();
  }
}

async function appLimitsOrCredits(sub: 'credits' | 'limits', argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...common,
      app: { type: 'string' },
      add: { type: 'string' },
      operation: { type: 'string' },
      'per-15min': { type: 'string' },
      'per-24h': { type: 'string' },
      reset: { type: 'boolean' },
    },
    strict: true,
  });
  const ctx = await createContext(configFrom({ host: values.host, port: values.port, db: values.db, seed: values.seed }));
  try {
    console.log(sub === 'credits' ? await creditsCommand(ctx, values) : await limitsCommand(ctx, values));
  } finally {
    await ctx.metering.close();
    await ctx.store.close();
  }
}

async function tokens(argv: string[]) {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new ConfigError('usage: roost tokens create --user USERNAME [--scopes "…"] [--app APP_ID]');
  const { values } = parseArgs({
    args: rest,
    options: { ...common, user: { type: 'string' }, scopes: { type: 'string' }, app: { type: 'string' }, oauth1: { type: 'boolean' } },
    strict: true,
  });
  if (!values.user) throw new ConfigError('--user is required');
  const ctx = await createContext(configFrom(values));
  try {
    const user = (await ctx.repos.users.byUsernames([values.user])).get(values.user.toLowerCase());
    if (!user) throw new ConfigError(`no user @${values.user}`);
    const appId = values.app ?? (await ctx.repos.apps.getSetting('default_app_id'));
    if (!appId || !(await ctx.repos.apps.byId(appId))) throw new ConfigError('no such app (start the server once to create the default app)');
    if (values.oauth1) {
      // Regenerating: this user's earlier OAuth 1.0a tokens for the app stop working.
      const app = (await ctx.repos.apps.byId(appId))!;
      const t = await mintOAuth1AccessToken(ctx, { appId, userId: user.id, permission: app.permission as AppPermission, revokeOthers: true });
      console.log(`access token:        ${t.token}\naccess token secret: ${t.secret}   (shown once)`);
      return;
    }
    const scopes = values.scopes ? values.scopes.split(/[\s,]+/).filter(Boolean) : ALL_SCOPES;
    const token = await mintUserToken(ctx, { appId, userId: user.id, scopes });
    console.log(token);
  } finally {
    await ctx.store.close();
  }
}

/**
 * Rebuilds every post's search document with the current indexing code (after an upgrade that changed
 * search/doc.ts; migrations never re-index). Safe on a live database: each batch is replaced in one transaction.
 */
async function reindex(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { db: common.db, batch: { type: 'string' } }, strict: true });
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) throw new ConfigError('usage: roost reindex [--batch N] [--db URL] (N a positive integer)');
  const config = configFrom({ db: values.db });
  const store = await openStore(config.dbUrl);
  try {
    const tty = process.stderr.isTTY;
    const n = await reindexPosts(store.db, store.dialect, { batch, onProgress: tty ? (k) => process.stderr.write(`\r  ${k} posts`) : undefined });
    if (tty) process.stderr.write('\n');
    console.log(`Reindexed ${n} posts (database: ${config.dbUrl})`);
  } finally {
    await store.close();
  }
}

async function main() {
  const [cmd = 'serve', ...rest] = process.argv.slice(2);
  const commands: Record<string, (a: string[]) => Promise<void>> = { serve, seed, apps, tokens, reindex };
  const run = commands[cmd];
  if (!run) throw new ConfigError(`unknown command ${cmd}; commands: ${Object.keys(commands).join(', ')}`);
  await run(rest);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof ApiError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`roost: ${(err as Error).message}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
