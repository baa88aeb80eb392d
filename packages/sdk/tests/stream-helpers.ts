/** Shared by the stream tests. */
import { expect } from 'vitest';
import type { EventDrivenStream, StreamReconnectEvent } from '../src/index.js';

/** A reconnect wait that does not wait. */
export const instant = async (): Promise<void> => undefined;

/** Polls a condition (bounded: 300 × 10 ms). */
export async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** The texts of the first `n` posts of a stream (then closed), and its reconnections meanwhile. */
export async function firstTexts(s: EventDrivenStream, n: number): Promise<{ got: string[]; reconnects: StreamReconnectEvent[] }> {
  const reconnects: StreamReconnectEvent[] = [];
  s.on('reconnect', (e) => reconnects.push(e));
  const got: string[] = [];
  s.on('data', (ev) => {
    got.push(ev.data.text);
    if (got.length === n) s.close();
  });
  await new Promise<void>((res) => s.on('close', () => res()));
  return { got, reconnects };
}

/** Reads a stream to its end: the texts of its posts, the lines it warned about, and how many keep-alives came. */
export async function drain(s: EventDrivenStream): Promise<{ got: string[]; warnings: string[]; keepAlives: number }> {
  const warnings: string[] = [];
  let keepAlives = 0;
  s.on('warning', (w) => warnings.push(w.line));
  s.on('keepAlive', () => keepAlives++);
  const got: string[] = [];
  for await (const ev of s) got.push(ev.data.text);
  return { got, warnings, keepAlives };
}
