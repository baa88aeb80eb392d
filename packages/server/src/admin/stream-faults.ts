/**
 * Stream faults, applied to the HTTP response the stream hub writes to, so they act the same on every stream:
 * `stream-disconnect` writes X's operational-disconnect line after `ms` and ends the stream; `stream-stall` goes
 * silent after `ms` — no posts, no keep-alives — while the connection stays open (and keeps its slot, as a half-dead
 * connection does at X) until the client gives up on it.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import type { StreamHandover } from '../api/operation.js';
import { disconnectLine } from '../streams/views.js';
import type { StreamFault } from './faults.js';

export function withStreamFault(_ctx: Context, takeOver: (h: StreamHandover) => void, fault: StreamFault): (h: StreamHandover) => void {
  return (h) => {
    const res = h.res as ServerResponse & { write: ServerResponse['write'] };
    const write = res.write.bind(res);
    const silence = () => {
      res.write = (() => true) as ServerResponse['write'];
    };
    takeOver(h);
    // The hub answered with an error (no slot, no rules) and is done with the response.
    if (res.writableEnded || res.statusCode !== 200) return;
    const timer = setTimeout(() => {
      if (res.writableEnded || res.destroyed) return;
      if (fault.kind === 'stream-stall') return silence();
      write(disconnectLine('shutdown'));
      // The hub learns of the end from 'close'; nothing it writes meanwhile reaches the ended response.
      silence();
      res.end();
    }, fault.afterMs);
    res.once('close', () => clearTimeout(timer));
  };
}
