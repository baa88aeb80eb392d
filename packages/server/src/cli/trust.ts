/**
 * What `roost trust` prints: the settings that point unchanged X clients at Roost (zero-change mode), as a shell
 * script — comments for people, `export` lines for the shell — so `eval "$(roost trust)"` applies it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { X_HOSTS, type Trust } from '../tls/trust.js';

/** The Node preload of zero-change mode (packages/server/preload/zero-change.mjs). */
export const PRELOAD_PATH = fileURLToPath(new URL('../../preload/zero-change.mjs', import.meta.url));

/** A value quoted for POSIX shells. */
const sh = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export interface TrustTextOptions {
  trust: Trust;
  /** Host clients reach Roost on (loopback when Roost listens on every address). */
  host: string;
  /** Roost's plain port (the HTTPS proxy) and its HTTPS port. */
  port: number;
  tlsPort: number;
  /** Whether ROOST_TLS_DIR must be given to `roost serve` (not the default directory). */
  dirSetting: string | null;
}

export function trustText(o: TrustTextOptions): string {
  const f = o.trust.files;
  const h = o.host.includes(':') ? `[${o.host}]` : o.host;
  const made = o.trust.created.ca ? 'made now' : 'kept';
  const lines = [
    `# Roost's local certificate authority (${made}): ${f.ca}`,
    `#   SHA-256 ${o.trust.caFingerprint}`,
    `# Its certificate for ${X_HOSTS.join(', ')} and their subdomains: ${f.cert}`,
    '#',
    '# Start Roost in zero-change mode (HTTPS as those hosts; its plain port also becomes an HTTPS proxy for them):',
    `#   ${o.dirSetting ? `ROOST_TLS_DIR=${sh(o.dirSetting)} ` : ''}ROOST_TLS_PORT=${o.tlsPort} roost serve --port ${o.port}`,
    '#',
    '# Then, in the shell that runs your client — its code and construction stay as they are for X:',
    '#',
    '# Node (@xdevplatform/xdk, twitter-api-v2, anything on fetch or https.request): trust the CA, and preload the',
    '# redirection of x.com/twitter.com connections to Roost (fetch ignores proxies; no root needed).',
  ];
  if (existsSync(PRELOAD_PATH)) {
    lines.push(
      `export NODE_EXTRA_CA_CERTS=${sh(f.ca)}`,
      `export NODE_OPTIONS="\${NODE_OPTIONS:+$NODE_OPTIONS }--import=${pathToFileURL(PRELOAD_PATH).href}"`,
      `export ROOST_X_ADDRESS=${sh(`${h}:${o.tlsPort}`)}`,
    );
  } else {
    lines.push(`#   (the preload ships with the roost repository: packages/server/preload/zero-change.mjs)`, `export NODE_EXTRA_CA_CERTS=${sh(f.ca)}`);
  }
  lines.push(
    '#',
    '# Python (tweepy, requests) and other clients that honour HTTPS_PROXY: Roost tunnels X\'s hosts to itself and',
    '# refuses any other host, so keep these to the shell that runs the client. The bundle is public roots + the CA.',
    `export REQUESTS_CA_BUNDLE=${sh(f.bundle)}`,
    `export SSL_CERT_FILE=${sh(f.bundle)}`,
    `export HTTPS_PROXY=${sh(`http://${h}:${o.port}`)}`,
    '#',
    '# Or, for every program on the machine, as root: Roost on port 443 (ROOST_TLS_PORT=443) and these /etc/hosts lines',
    `#   127.0.0.1 ${X_HOSTS.join(' ')}`,
    `#   ::1 ${X_HOSTS.join(' ')}`,
    '# with the CA trusted: NODE_EXTRA_CA_CERTS for Node (it never reads the system store), and for the rest',
    `#   cp ${sh(f.ca)} /usr/local/share/ca-certificates/roost.crt && update-ca-certificates   (Debian, Ubuntu)`,
    '# Remove those lines to reach the real X again.',
  );
  return lines.join('\n');
}
