/** Durations as people type them on the command line. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `15m`, `-2h`, `90s`, `1d12h`, `500ms`, or plain milliseconds. */
export function parseDuration(v: string): number | null {
  const s = v.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  const m = /^(-?)((?:\d+(?:\.\d+)?(?:ms|s|min|m|h|d|w))+)$/.exec(s);
  if (!m) return null;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d+)?)(ms|s|min|m|h|d|w)/g)) total += Number(part[1]) * UNITS[part[2]!]!;
  return Math.round(m[1] ? -total : total);
}

