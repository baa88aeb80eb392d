/**
 * Answers to requests that never reach a route — malformed HTTP caught by Node's parser (an unknown method, a NUL
 * in a header, Content-Length together with Transfer-Encoding), timeouts, oversized headers, router errors, and
 * CONNECT — in X's JSON shapes instead of Fastify's defaults or a silent close.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequest, RouteNotFound } from '../errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

function problem(status: number) {
  const title = STATUS_CODES[status] ?? 'Error';
  return { title, type: 'about:blank', status, detail: title };
}

/** The status and X-shaped body for an error Node's HTTP parser or timers raised on a connection. */
export function clientErrorAnswer(code: string | undefined): { status: number; body: unknown } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: problem(408) };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, body: problem(431) };
    case 'HPE_INVALID_METHOD':
      // No route answers that method: what X says for any unknown route.
      return { status: 404, body: new RouteNotFound().body() };
    default:
      return { status: 400, body: new InvalidRequest([{ parameters: {}, message: 'The request is not valid HTTP/1.1.' }]).body() };
  }
}

function writeAndClose(socket: Duplex, status: number, body: unknown): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Fastify's `clientErrorHandler`. */
export function onClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = clientErrorAnswer(err.code);
  writeAndClose(socket, status, body);
}

/** CONNECT is not a method of the API: answered like any unknown route, then closed (Node would drop it silently). */
export function onConnect(_req: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  const nf = new RouteNotFound();
  writeAndClose(socket, nf.status, nf.body());
}

/** Fastify's `frameworkErrors`: router errors (a malformed URL, a path parameter past its length). */
export function onFrameworkError(err: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long.' : 'The request path is not valid.';
  void reply.status(400).type(JSON_TYPE).send(new InvalidRequest([{ parameters: {}, message }]).body());
}
