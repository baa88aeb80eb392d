/**
 * CLI help and input errors, in-process (runCli with captured output): a bare `roost` prints help, every command and
 * subcommand has `roost help …` and `… --help` listing each of its flags, and bad input is one line `roost: …`.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/main.js';
import { runInProcess } from './cli-kit.js';
import type { CommandSpec } from '../../src/cli/spec.js';
import { parseDuration } from '../../src/cli/duration.js';

const run = runInProcess;

const leaves: CommandSpec[] = commands.flatMap((c) => c.subcommands ?? [c]);

describe('roost help', () => {
  it('a bare roost, --help and help print the command list (exit 0), naming every command', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toContain('Usage: roost <command> [flags]');
      for (const c of commands) expect(r.out).toMatch(new RegExp(`^  ${c.name} `, 'm'));
    }
  });

  it('apps list / apps show, users create and tokens create --oauth1 are in the usage text', async () => {
    expect((await run('help', 'apps')).out).toMatch(/list .*\n.*show /);
    expect((await run('users', '--help')).out).toContain('create');
    expect((await run('help', 'tokens', 'create')).out).toContain('--oauth1');
    expect((await run('help', 'tokens', 'create')).out).toContain('roost tokens create --user XDevelopers --oauth1');
  });

  it.each(leaves.map((c) => ({ name: c.name, c })))('roost help $name and <command> --help document every flag', async ({ name, c }) => {
    const viaHelp = await run('help', ...name.split(' '));
    const viaFlag = await run(...name.split(' '), '--help');
    for (const r of [viaHelp, viaFlag]) {
      expect(r.code).toBe(0);
      expect(r.out).toContain(`roost ${name} — ${c.summary}`);
      for (const [flag, f] of Object.entries(c.flags)) {
        expect(r.out, `--${flag}`).toMatch(new RegExp(`--${flag}\\b.*\\n?.*${f.description.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
      expect(r.out).toContain('-h, --help');
    }
    expect(viaHelp.out).toBe(viaFlag.out);
  });

  it('commands with subcommands list them for help and when given none', async () => {
    for (const c of commands.filter((x) => x.subcommands)) {
      for (const argv of [[c.name], [c.name, '--help'], ['help', c.name]]) {
        const r = await run(...argv);
        expect(r.code).toBe(0);
        for (const s of c.subcommands!) expect(r.out).toContain(`  ${s.name.split(' ').pop()} `);
      }
    }
  });

  it('unknown commands, subcommands and flags, and missing values, are one line on stderr with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /^roost: unknown command bogus; commands: serve, seed, apps/],
      [['apps', 'delete'], /^roost: unknown command apps delete; apps has create, list, show/],
      [['serve', '--bogus'], /^roost: unknown flag --bogus for roost serve \(see roost help serve\)$/],
      [['serve', '--port'], /^roost: --port needs a value/],
      [['tokens', 'create', '--oauth1=yes'], /^roost: --oauth1 takes no value/],
      [['help', 'nothing'], /^roost: no command nothing/],
      [['clock', 'advance', 'soon', '--admin-token', 'x'.repeat(20)], /^roost: roost clock advance takes a duration/],
      [['faults', 'add', '--admin-token', 'x'.repeat(20)], /^roost: --fault is required: one of rate-limit, /],
      [['clock', 'show', 'extra'], /^roost: unexpected argument extra for roost clock show/],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err.trimEnd(), argv.join(' ')).toMatch(msg);
    }
  });

  it('admin commands say what is wrong when no server or no token is there', async () => {
    const noToken = await run('clock', 'show', '--url', 'http://127.0.0.1:9');
    expect(noToken.err).toMatch(/^roost: the admin API needs a token: set ROOST_ADMIN_TOKEN/);
    const nobody = await run('clock', 'show', '--url', 'http://127.0.0.1:9', '--admin-token', 'x'.repeat(20));
    expect(nobody.code).toBe(2);
    expect(nobody.err).toMatch(/^roost: no Roost answers at http:\/\/127\.0\.0\.1:9( \(\w+\))?; start one with roost serve, or pass --url\n$/);
  });

  it('durations: 15m, 90s, 1d12h, -1h, 500ms, plain milliseconds', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('15min')).toBe(900_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('-1h')).toBe(-3_600_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('15 m')).toBeNull();
  });
});
