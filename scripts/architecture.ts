/**
 * The house's architecture checks (docs/architecture.md), as functions over any tree laid out like this repository:
 * the import rules of .dependency-cruiser.cjs, and the copy detector (jscpd) over shipped and test code. Used by
 * scripts/check-architecture.ts (part of `npm test`) on the real tree and by the planted-violation test on a made-up
 * one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

export interface ImportViolation {
  rule: string;
  from: string;
  to: string;
}

/** Every import that breaks a rule of the configuration, for the trees under `paths` (relative to `root`). */
export function importViolations(root: string, paths: readonly string[], config = join(REPO, '.dependency-cruiser.cjs')): ImportViolation[] {
  const r = spawnSync(bin('depcruise'), ['--config', config, '--output-type', 'json', ...paths], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  let out: { summary?: { violations?: { rule: { name: string }; from: string; to: string }[] } };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`dependency-cruiser gave no report (exit ${r.status}): ${r.stderr.trim().slice(0, 2000)}`);
  }
  return (out.summary?.violations ?? []).map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/**
 * What the copy detector looks at: TypeScript only, clones of 50 tokens or more. Generated code (the contract's
 * types, SDK operations), build output, frozen migrations (copies by design: a migration never imports live code)
 * and test corpora are left out.
 */
export const CLONE_OPTIONS = {
  minTokens: 50,
  ignore: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/db/migrations/**', '**/*.corpus.ts', '**/*.d.ts'],
} as const;

/** The trees `npm test` checks for clones: every package's code, tests and scripts, the root scripts and the benches. */
export const CLONE_PATHS = ['packages/*/src', 'packages/*/tests', 'packages/*/scripts', 'scripts', 'bench', 'examples/*/src', 'examples/*/test'];

export interface Clone {
  tokens: number;
  a: string;
  b: string;
}



/** Patterns whose segments may be a lone `*` (any directory) expanded to the directories that exist under `root`. */
export function expandPaths(root: string, patterns: readonly string[]): string[] {
  const found: string[] = [];
  for (const pattern of patterns) {
    let dirs = [''];
    for (const seg of pattern.split('/')) {
      const next: string[] = [];
      for (const d of dirs) {
        if (seg !== '*') next.push(d ? `${d}/${seg}` : seg);
        else if (existsSync(join(root, d))) for (const e of readdirSync(join(root, d))) if (e !== 'node_modules') next.push(d ? `${d}/${e}` : e);
      }
      dirs = next;
    }
    found.push(...dirs.filter((d) => existsSync(join(root, d)) && statSync(join(root, d)).isDirectory()));
  }
  return found;
}

/** Every copied block of `CLONE_OPTIONS.minTokens` tokens or more among the files under `paths` (patterns, relative to `root`). */
export function clones(root: string, patterns: readonly string[]): Clone[] {
  const paths = expandPaths(root, patterns);
  if (!paths.length) return [];
  const out = mkdtempSync(join(tmpdir(), 'roost-jscpd-'));
  try {
    const args = ['-k', String(CLONE_OPTIONS.minTokens), '-f', 'typescript', '-i', CLONE_OPTIONS.ignore.join(','), '-a', '-r', 'json', '-o', out, ...paths];
    const r = spawnSync(bin('jscpd'), args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, shell: false });
    if (r.error) throw r.error;
    let report: { duplicates?: { tokens: number; firstFile: { name: string; start: number; end: number }; secondFile: { name: string; start: number; end: number } }[] };
    try {
      report = JSON.parse(readFileSync(join(out, 'jscpd-report.json'), 'utf8'));
    } catch {
      throw new Error(`jscpd gave no report (exit ${r.status}): ${(r.stderr || r.stdout).trim().slice(0, 2000)}`);
    }
    const where = (f: { name: string; start: number; end: number }) => `${relative(root, f.name)}:${f.start}-${f.end}`;
    return (report.duplicates ?? []).map((d) => ({ tokens: d.tokens, a: where(d.firstFile), b: where(d.secondFile) }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
