/**
 * The CLI's commands as data: names, flags and help text, so `roost --help`, `roost help <command>` and
 * `<command> --help` are generated from the same table the parser reads, and no flag goes undocumented.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder in usage lines (string flags). */
  arg?: string;
  description: string;
}

export type Flags = Record<string, FlagSpec>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandSpec {
  /** Full name: `serve`, `apps create`. */
  name: string;
  summary: string;
  /** Positional arguments as shown in usage (`DURATION`, `[ID]`). */
  args?: string;
  flags: Flags;
  /** More lines for the command's help. */
  details?: string[];
  /** How many positionals it takes at most. */
  maxPositionals?: number;
  run?: (p: Parsed) => Promise<void>;
  subcommands?: CommandSpec[];
}

export const HELP_FLAG: FlagSpec = { type: 'boolean', description: 'show this help' };

function flagLabel(name: string, f: FlagSpec): string {
  const short = name === 'help' ? '-h, ' : '';
  return `${short}--${name}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}${f.multiple ? ' …' : ''}`;
}

function usageLine(c: CommandSpec): string {
  if (c.subcommands) return `roost ${c.name} <${c.subcommands.map((s) => s.name.split(' ').pop()).join('|')}> [flags]`;
  const parts = [`roost ${c.name}`];
  if (c.args) parts.push(c.args);
  for (const [n, f] of Object.entries(c.flags)) parts.push(`[${flagLabel(n, f)}]`);
  return parts.join(' ');
}

function table(rows: [string, string][]): string[] {
  const w = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
  return rows.map(([a, b]) => `  ${a.padEnd(w)}${b}`);
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`roost ${c.name} — ${c.summary}`, '', `Usage: ${usageLine(c)}`];
  if (c.subcommands) {
    lines.push('', 'Commands:', ...table(c.subcommands.map((s) => [s.name.split(' ').pop()!, s.summary])));
    lines.push('', `Run \`roost help ${c.name} <command>\` or \`roost ${c.name} <command> --help\` for its flags.`);
  } else {
    lines.push('', 'Flags:', ...table([...Object.entries(c.flags), ['help', HELP_FLAG] as const].map(([n, f]) => [flagLabel(n, f), f.description])));
  }
  if (c.details?.length) lines.push('', ...c.details);
  return lines.join('\n');
}

export function mainHelp(commands: readonly CommandSpec[]): string {
  return [
    'roost — a self-hostable X API v2: the server, its demo world, and tools to test against it.',
    '',
    'Usage: roost <command> [flags]',
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    'Run `roost help <command>` or `roost <command> --help` for its flags.',
    'Settings come from ROOST_* environment variables (README: Settings); flags override them.',
  ].join('\n');
}

/** Finds the command named by the leading words of argv (`apps create …`); the rest are its arguments. */
export function findCommand(commands: readonly CommandSpec[], argv: string[]): { cmd: CommandSpec | null; rest: string[]; path: string[] } {
  let list = commands;
  let cmd: CommandSpec | null = null;
  const path: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    const next = list.find((c) => c.name.split(' ').pop() === word);
    if (!next) break;
    cmd = next;
    path.push(word);
    i++;
    if (!next.subcommands) break;
    list = next.subcommands;
  }
  return { cmd, rest: argv.slice(i), path };
}

export function parseFor(c: CommandSpec, args: string[]): Parsed & { help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [n, f] of Object.entries(c.flags)) options[n] = f.multiple ? { type: f.type, multiple: true } : { type: f.type };
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const flag = /'(-[^' ]+)/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) throw new ConfigError(`unknown flag ${flag} for roost ${c.name} (see roost help ${c.name})`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      throw new ConfigError(`${flag} ${options[flag.replace(/^-+/, '')]?.type === 'boolean' ? 'takes no value' : 'needs a value'} (see roost help ${c.name})`);
    }
    throw new ConfigError(`${e.message.split('. ')[0]} (see roost help ${c.name})`);
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (!help && parsed.positionals.length > (c.maxPositionals ?? 0)) {
    throw new ConfigError(`unexpected argument ${parsed.positionals[c.maxPositionals ?? 0]} for roost ${c.name} (see roost help ${c.name})`);
  }
  return { values, positionals: parsed.positionals, help: help === true };
}
