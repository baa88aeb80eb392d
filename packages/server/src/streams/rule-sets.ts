/**
 * Each app's filtered-stream rules, parsed and indexed once and kept until they change. The dispatcher drops an
 * app's set when `stream.rules.changed` reaches its turn in the event queue, so the next post rebuilds it from
 * the database.
 */
import type { Repos } from '../data/index.js';
import type { Config } from '../config.js';
import { parseQuery } from '../query/index.js';
import { RuleSet } from './rule-index.js';

export class RuleSets {
  private readonly sets = new Map<string, RuleSet>();

  constructor(
    private readonly repos: Pick<Repos, 'streamRules'>,
    private readonly tier: Config['tier'],
  ) {}

  async of(appId: string): Promise<RuleSet> {
    let rs = this.sets.get(appId);
    if (rs) return rs;
    const rows = await this.repos.streamRules.list(appId);
    const rules = [];
    for (const r of rows) {
      // A rule stored under another tier (a longer enterprise rule) may no longer parse: skip it, keep the others.
      const p = parseQuery(r.value, { product: 'stream', tier: this.tier });
      if (p.ok) rules.push({ id: r.id, tag: r.tag, value: r.value, ast: p.ast });
    }
    rs = new RuleSet(rules);
    this.sets.set(appId, rs);
    return rs;
  }

  invalidate(appId: string): void {
    this.sets.delete(appId);
  }
}
