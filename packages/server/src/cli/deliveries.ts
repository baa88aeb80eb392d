/**
 * `roost webhooks deliveries`: the table of recent webhook deliveries (issue 21) — which webhook, which event,
 * how many attempts, where each stands (pending, delivered, dead, cancelled) and what the last attempt answered.
 * Pure: the command loads the rows.
 */
import type { DeliveryRow, DeliveryStatus } from '../data/deliveries.js';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];

/** What the last attempt got: its error, else its HTTP status when that was not a success, else `-`. */
function lastError(d: DeliveryRow): string {
  if (d.lastError) return d.lastError;
  if (d.lastStatus !== null && (d.lastStatus < 200 || d.lastStatus >= 300)) return `HTTP ${d.lastStatus}`;
  return '-';
}

/** One row per delivery, newest first, in aligned columns. */
export function deliveriesTable(rows: readonly DeliveryRow[]): string {
  if (rows.length === 0) return 'No deliveries.';
  const head = ['DELIVERY', 'WEBHOOK', 'EVENT', 'ATTEMPTS', 'STATUS', 'LAST ERROR'];
  const body = rows.map((d) => [d.id, d.webhookId, d.eventType, String(d.attempts), d.status, lastError(d)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  // The last column is not padded: errors may be long and trailing blanks help no one.
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
