/** GET /2/tweets/search/stream/rules/counts (FACTS §6.1): rule counts of the app and of its project (owner). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';

export const getRuleCounts = operation({
  operationId: 'getRuleCounts',
  rateLimit: {},
  metering: meter.read('resource'),
  async handle(req) {
    const appId = appOf(req);
    const { repos, config } = req.ctx;
    const app = await repos.apps.byId(appId);
    const perApp = app ? await repos.streamRules.countsByOwner(app.ownerUserId) : [];
    const mine = perApp.find((a) => a.appId === appId)?.count ?? 0;
    const project = perApp.reduce((n, a) => n + a.count, 0);
    const cap = String(config.streamMaxRules);
    return {
      body: {
        data: {
          cap_per_client_app: cap,
          cap_per_project: cap,
          client_app_rules_count: { client_app_id: appId, rule_count: mine },
          project_rules_count: String(project),
          all_project_client_apps: perApp.map((a) => ({ client_app_id: a.appId, rule_count: a.count })),
        },
      },
    };
  },
});
