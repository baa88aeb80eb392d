/**
 * Zero-change mode for Node programs: `node --import <this file> app.js` (or the same in NODE_OPTIONS) sends every
 * HTTPS connection to x.com, twitter.com and their subdomains to Roost's HTTPS port, ROOST_X_ADDRESS
 * (`127.0.0.1:8443` or `https://127.0.0.1:8443`), read at each new connection. Nothing else changes: the URL, the
 * Host header and the TLS server name stay X's, the certificate is checked as usual (NODE_EXTRA_CA_CERTS names
 * Roost's CA: `roost trust`), and every other host is reached as before.
 *
 * Node's `fetch` (undici: xdk, and most modern clients) ignores proxy settings and the hosts file is root's, so the
 * redirection happens where connections are made: undici's global dispatcher and `https.globalAgent` (the
 * `https.request` of twitter-api-v2 and older clients).
 */
import https from 'node:https';
import tls from 'node:tls';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';

const X_HOST = /(^|\.)(x|twitter)\.com\.?$/i;

/** Roost's HTTPS address, from ROOST_X_ADDRESS. */
function roostAddress() {
  const raw = (process.env.ROOST_X_ADDRESS ?? '').trim().replace(/^https:\/\//i, '').replace(/\/+$/, '');
  const m = /^(\[[0-9a-f:]+\]|[^:\s/]+):(\d{1,5})$/i.exec(raw);
  if (!m) {
    throw new Error(
      `Roost zero-change mode: ROOST_X_ADDRESS must be Roost's HTTPS address, like 127.0.0.1:8443 (got ${JSON.stringify(process.env.ROOST_X_ADDRESS ?? '')}); run \`roost trust\``,
    );
  }
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

const isX = (host, port) => typeof host === 'string' && X_HOST.test(host) && (port === undefined || port === '' || Number(port) === 443);

// fetch: undici's global dispatcher, with a connector that dials Roost for X's hosts.
const direct = buildConnector({});
setGlobalDispatcher(
  new Agent({
    connect(opts, callback) {
      if (opts.protocol !== 'https:' || !isX(opts.hostname, opts.port)) return direct(opts, callback);
      let to;
      try {
        to = roostAddress();
      } catch (err) {
        return callback(err, null);
      }
      const socket = tls.connect({ host: to.host, port: to.port, servername: opts.servername || opts.hostname, ALPNProtocols: ['http/1.1'] });
      let done = false;
      socket.once('secureConnect', () => {
        done = true;
        callback(null, socket);
      });
      socket.once('error', (err) => {
        if (!done) callback(err, null);
      });
      return socket;
    },
  }),
);

// https.request: the global agent, with the same rule.
class ZeroChangeAgent extends https.Agent {
  createConnection(options, callback) {
    if (!isX(options.host, options.port)) return super.createConnection(options, callback);
    const to = roostAddress();
    return super.createConnection({ ...options, host: to.host, port: to.port, servername: options.servername || options.host }, callback);
  }
}
https.globalAgent = new ZeroChangeAgent({ keepAlive: true });
