/**
 * The parts of the demo world drawn after the accounts and posts exist (issue 20): Spaces and topics,
 * Communities, organisation affiliates, per-hour impressions, requests for Community Notes. Each has its own seed module and its own fork of
 * the seed, so adding one never changes another. One transaction, like the world itself.
 */
import type { Store } from '../db/connect.js';
import { bulkLoad } from '../data/bulk-load.js';
import { seedSpaces } from './spaces.js';
import { seedCommunities } from './communities.js';
import { seedImpressions } from './impressions.js';
import { seedAffiliations } from './affiliations.js';
import { seedNoteRequests } from './note-requests.js';

export interface ExtrasSummary {
  spaces: number;
  communities: number;
  impressionRows: number;
  affiliates: number;
  noteRequests: number;
}

export async function seedExtras(store: Store, opts: { seed: number; now: number }): Promise<ExtrasSummary> {
  // A bulk load (data/bulk-load.ts) for its connection settings: a big world has tens of millions of impression rows.
  return bulkLoad(store, { tables: [] }, async (repos) => {
    const accounts = await repos.users.roster();
    const spaces = await seedSpaces(repos, opts.seed, accounts, opts.now);
    const communities = await seedCommunities(repos, opts.seed, accounts, opts.now);
    const impressionRows = await seedImpressions(repos, store.dialect, opts.now);
    const affiliates = await seedAffiliations(repos, opts.seed, accounts, opts.now);
    const noteRequests = await seedNoteRequests(repos, opts.seed, accounts, opts.now);
    return { spaces, communities, impressionRows, affiliates, noteRequests };
  });
}
