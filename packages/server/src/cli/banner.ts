/** The start-up text of `roost serve`: human text only (logs come after it), passwords hidden. */
import type { Config } from '../config.js';
import type { BootstrapReport } from '../bootstrap.js';
import { redactDbUrl } from '../startup.js';
import { ADMIN_PREFIX } from '../admin/protocol.js';

export function banner(url: string, config: Config, b: BootstrapReport, tlsUrl: string | null = null): string {
  const fixed = config.fixed;
  const once = (isFixed: boolean) => (isFixed ? '' : '   (shown once)');
  const lines = [
    `Roost listening on ${url} (database: ${redactDbUrl(config.dbUrl)}${b.seeded ? ', demo world seeded' : ''})`,
    `  App-only bearer token (default app): ${b.bearerToken}`,
  ];
  if (b.createdApp) {
    lines.push(`  Default app consumer key:    ${b.createdApp.consumerKey}`);
    lines.push(`  Default app consumer secret: ${b.createdApp.consumerSecret}${once(fixed.consumerSecret !== null)}`);
  } else if (fixed.consumerKey) {
    lines.push(`  Default app consumer key:    ${fixed.consumerKey}   (secret from ROOST_CONSUMER_SECRET)`);
  }
  if (b.createdClient) {
    lines.push(`  OAuth 2.0 client id:         ${b.createdClient.clientId}   (${b.createdClient.clientType}; callbacks ${b.createdClient.redirectUris.join(', ')}, any port)`);
    if (b.createdClient.clientSecret) lines.push(`  OAuth 2.0 client secret:     ${b.createdClient.clientSecret}${once(fixed.clientSecret !== null)}`);
  }
  if (b.userToken) lines.push(`  User token for @XDevelopers (all scopes): ${b.userToken}${once(config.userToken !== null)}`);
  if (b.oauth1) {
    lines.push(`  OAuth 1.0a access token for @XDevelopers:  ${b.oauth1.token}`);
    lines.push(`  OAuth 1.0a access token secret:            ${b.oauth1.secret}${once(fixed.accessTokenSecret !== null)}`);
  }
  if (!b.userToken || !b.oauth1) lines.push('  More tokens: roost tokens create --user XDevelopers [--oauth1]');
  if (tlsUrl) {
    lines.push(`  Zero-change mode: ${tlsUrl} answers as api.x.com, upload.x.com, x.com, api.twitter.com, …; HTTPS proxy ${url}`);
    lines.push('  Point unchanged clients here: roost trust   (prints NODE_EXTRA_CA_CERTS, NODE_OPTIONS, HTTPS_PROXY, …)');
  }
  if (config.adminToken) lines.push(`  Admin API: ${url}${ADMIN_PREFIX}/… (Authorization: Bearer $ROOST_ADMIN_TOKEN)${config.resettable ? ', resettable' : ''}`);
  lines.push(`  Try: curl "${url}/2/users/by/username/xdevelopers?user.fields=created_at,description,public_metrics" -H "Authorization: Bearer $TOKEN"`);
  return lines.join('\n');
}
