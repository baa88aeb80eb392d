/**
 * Reads a V8 .cpuprofile and names the hot spots: self time by function, self time by file/package, and
 * inclusive time of Roost's own functions (which stage of the request the time is spent under).
 * Standalone: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  key: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  selfByFunction: Share[];
  selfByArea: Share[];
  inclusiveRoost: Share[];
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

function shortPath(url: string): string {
  if (!url) return '';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (p.startsWith(ROOT + '/')) p = p.slice(ROOT.length + 1);
  return p;
}

/** A file inside the repo, a package under node_modules, or a Node/V8 bucket. */
function area(frame: CallFrame): string {
  const p = shortPath(frame.url);
  if (!p) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (p.startsWith('node:')) return 'node: internals';
  return p;
}

function functionKey(frame: CallFrame): string {
  const p = shortPath(frame.url);
  const name = frame.functionName || '(anonymous)';
  if (!p) return name;
  const nm = p.lastIndexOf('node_modules/');
  const file = nm >= 0 ? p.slice(nm + 'node_modules/'.length) : p;
  // Line numbers of tsx-transformed modules are not the source's; only plain JS gets one.
  return frame.lineNumber > 0 && !file.endsWith('.ts') ? `${file}:${name}:${frame.lineNumber + 1}` : `${file}:${name}`;
}

/** Native code (SQLite, syscalls) has no url: name it after the nearest JavaScript caller. */
function isNative(frame: CallFrame): boolean {
  return !frame.url && !frame.functionName.startsWith('(');
}

const isRoost = (frame: CallFrame) => /\/packages\/[^/]+\/src\//.test(frame.url) && !frame.url.includes('node_modules');

interface LoadedProfile {
  profile: CpuProfile;
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
}

function load(path: string): LoadedProfile {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  return { profile, byId, parent };
}

export function summarize(path: string, top = 15): ProfileSummary {
  const { profile, byId, parent } = load(path);

  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; it is the best per-sample weight V8 gives.
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    let fk = functionKey(node.callFrame);
    let ak = area(node.callFrame);
    if (isNative(node.callFrame)) {
      let id = parent.get(node.id);
      while (id !== undefined && !byId.get(id)!.callFrame.url) id = parent.get(id);
      const caller = id === undefined ? undefined : byId.get(id)!.callFrame;
      fk = `${fk} [native] <- ${caller ? functionKey(caller) : '?'}`;
      ak = `native, called from ${caller ? area(caller) : '?'}`;
    }
    self.set(fk, (self.get(fk) ?? 0) + us);
    areas.set(ak, (areas.get(ak) ?? 0) + us);
    // Each Roost function counted once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!isRoost(f)) continue;
      const k = functionKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>): Share[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => ({ key, ms: us / 1000, share: total ? us / total : 0 }));
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    selfByFunction: rank(self),
    selfByArea: rank(areas),
    inclusiveRoost: rank(inclusive),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const block = (title: string, rows: Share[]) => [title, ...rows.map((r) => `  ${pct(r.share)}  ${r.key}`)].join('\n');
  return [
    `CPU busy ${(s.totalMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s (shares are of busy time)`,
    block('Self time by function:', s.selfByFunction),
    block('Self time by file / package:', s.selfByArea),
    block('Inclusive time of Roost functions (synchronous stacks only: awaited work is charged to the microtask queue):', s.inclusiveRoost),
  ].join('\n\n');
}

/**
 * The stages of a request, each recognised by the files (or packages) whose frames belong to it. A sample goes to
 * the stage of its innermost frame that matches one (native code to its JavaScript caller's); the first
 * matching rule wins for a frame. Awaited continuations lose their callers, so SQL run after an await is charged
 * to the SQLite/Kysely stages rather than to the repository that issued it.
 */
const STAGES: Array<[stage: string, test: RegExp]> = [
  ['twitter-text (weigh, validate, entities)', /npm:twitter-text|packages\/server\/src\/util\/text\.ts/],
  ['language detection', /packages\/server\/src\/util\/lang\.ts/],
  ['search document', /packages\/server\/src\/(search\/doc|data\/search)\.ts/],
  ['id (snowflake)', /packages\/server\/src\/util\/snowflake\.ts/],
  ['SQLite (statements, commit)', /^native, called from (npm:better-sqlite3|npm:kysely|packages\/server\/src\/(db|data)\/)|npm:better-sqlite3/],
  ['query builder (Kysely)', /npm:kysely/],
  ['rows and repositories (data/)', /packages\/server\/src\/(data|db)\//],
  ['group commit (domain/write.ts)', /packages\/server\/src\/domain\/write\.ts/],
  ['domain rules (domain/, pipeline/)', /packages\/server\/src\/(domain|pipeline)\//],
  ['auth', /packages\/server\/src\/auth\//],
  ['validation', /npm:ajv|packages\/server\/src\/http\/(body-)?validation\.ts/],
  ['rate limits, metering', /packages\/server\/src\/limits\//],
  ['bus, streams (match, render, write)', /packages\/server\/src\/(events|streams|query)\/|search\/match-docs\.ts/],
  ['handler, route, errors (api/, http/)', /packages\/server\/src\/(api|http|admin)\//],
  ['HTTP (Fastify, node:http, sockets)', /npm:(fastify|find-my-way|@fastify|avvio|light-my-request|fast-json-stringify|secure-json-parse|pino)|node: internals|native, called from node: internals/],
  ['garbage collection', /^\(garbage collector\)$/],
];

export interface StageShare {
  stage: string;
  ms: number;
  share: number;
}

/** Busy time per request stage (see STAGES), largest first; what matches no stage is "other". */
export function stages(path: string): StageShare[] {
  const { profile, byId, parent } = load(path);
  const totals = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    total += us;
    let stage = 'other';
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      let key = area(f);
      if (isNative(f)) {
        let c = parent.get(id);
        while (c !== undefined && !byId.get(c)!.callFrame.url) c = parent.get(c);
        key = `native, called from ${c === undefined ? '?' : area(byId.get(c)!.callFrame)}`;
      }
      const hit = STAGES.find(([, re]) => re.test(key));
      if (hit) {
        stage = hit[0];
        break;
      }
    }
    totals.set(stage, (totals.get(stage) ?? 0) + us);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([stage, us]) => ({ stage, ms: us / 1000, share: total ? us / total : 0 }));
}

/** The stage table: share of busy time and CPU microseconds per request (`requests` served while profiling). */
export function formatStages(rows: StageShare[], requests: number): string {
  const busy = rows.reduce((a, r) => a + r.ms, 0);
  const lines = rows.map((r) => `  ${r.stage.padEnd(40)}  ${((r.ms * 1000) / requests).toFixed(1).padStart(8)}  ${`${(r.share * 100).toFixed(1)}%`.padStart(6)}`);
  return [
    `CPU per request by stage (${requests} requests, ${(busy / 1000).toFixed(2)} s busy):`,
    `  ${'stage'.padEnd(40)}  ${'µs/req'.padStart(8)}  ${'share'.padStart(6)}`,
    ...lines,
    `  ${'total'.padEnd(40)}  ${((busy * 1000) / requests).toFixed(1).padStart(8)}  100.0%`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${formatSummary(summarize(file, Number(process.argv[3] ?? 15)))}\n`);
  }
}
