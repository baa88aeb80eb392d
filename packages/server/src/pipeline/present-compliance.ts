/**
 * One line of a batch compliance result (FACTS §12.1): `{"id","action","created_at","redacted_at","reason"}`, plus
 * `withheld_in_countries` for withheld accounts and the edit chain (`initial_tweet_id`, `edit_tweet_ids`) for
 * posts replaced by an edit. Actions: `delete` (deleted, suspended, protected), `withhold`, `edit`.
 */
import type { ComplianceVerdict } from './rules.js';
import { iso } from './present.js';

export function complianceLine(id: string, v: ComplianceVerdict, createdAt: number | null, redactedAt: number): string {
  const action = v.reason === 'withheld' ? 'withhold' : v.reason === 'edited' ? 'edit' : 'delete';
  const line: Record<string, unknown> = { id, action };
  if (createdAt !== null) line.created_at = iso(createdAt);
  line.redacted_at = iso(redactedAt);
  line.reason = v.reason;
  if (v.reason === 'withheld') line.withheld_in_countries = v.countries;
  if (v.reason === 'edited') {
    line.initial_tweet_id = v.chain[0];
    line.edit_tweet_ids = v.chain;
  }
  return JSON.stringify(line);
}
