/**
 * Verified organisations' affiliates in the demo world: every business-verified account is an organisation, and
 * some other accounts (never an organisation themselves) are affiliated with one of them, as its staff.
 */
import type { Repos } from '../data/index.js';
import { Random } from './random.js';

export async function seedAffiliations(repos: Repos, seed: number, accounts: readonly { id: string; verifiedType: string; createdAt: number }[], now: number): Promise<number> {
  const r = new Random(seed).fork('affiliations');
  const orgs = accounts.filter((a) => a.verifiedType === 'business');
  const people = accounts.filter((a) => a.verifiedType !== 'business' && a.verifiedType !== 'government');
  if (!orgs.length) return 0;
  const rows: { userId: string; orgId: string; description: string; at: number }[] = [];
  for (const p of people) {
    if (!r.chance(0.08)) continue;
    const org = r.pick(orgs);
    const from = Math.max(p.createdAt, org.createdAt, Date.UTC(2023, 3, 1));
    rows.push({ userId: p.id, orgId: org.id, description: 'Affiliate', at: from + r.int(0, Math.max(1, now - from)) });
  }
  await repos.affiliations.insertMany(rows);
  return rows.length;
}
