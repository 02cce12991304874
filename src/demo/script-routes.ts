/**
 * Demo routes for the scripted examples (scenarios/scripted/): an order endpoint that answers 200
 * with an error text (branch on a response), a feed paginated by `next` links, an HMAC-signed
 * endpoint, and a raw TCP echo reached by an HTTP upgrade (a non-HTTP protocol to time).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { catalogPage, itemExists } from './catalog.js';
import { detail, json, readBody, readJsonObject } from './http-io.js';
import type { Outcome } from './http-io.js';
import { LATENCY } from './latency.js';
import type { DemoState, Handler } from './routes.js';

/** Pages of `/api/feed`: the last one has `next: null`. */
export const FEED_PAGES = 5;
const FEED_PAGE_SIZE = 10;
/** The shared secret of `POST /api/signed` (a demo: it is public). */
export const SIGNING_SECRET = 'demo-signing-secret';
/** How far the `date` of a signed request may be from the server's clock. */
const SIGNED_SKEW_MS = 5 * 60_000;
/** Counting key of an order the server refused with an error text (an outcome, not in `total`). */
export const ORDER_ERROR_KEY = 'POST /api/orders → error';
/** Counting key of one echoed line on the TCP echo. */
export const TCP_PING_KEY = 'TCP PING';
export const TCP_ECHO_PATH = '/tcp/echo';

/**
 * `POST /api/orders {itemId, quantity}`: like many real APIs, a refusal is a 200 with an `error`
 * field: `{"error":"item 42 is out of stock"}` for ids that do not exist (3% of them), or
 * `{"orderId", "itemId", "quantity"}`.
 */
async function order(state: DemoState, req: IncomingMessage): Promise<Outcome> {
  const body = await readJsonObject(req);
  if ('error' in body) return body.error;
  const { itemId, quantity } = body.value;
  if (typeof itemId !== 'number' || !Number.isSafeInteger(itemId) || itemId < 1) return detail(400, 'itemId must be a positive integer');
  const q = quantity === undefined ? 1 : quantity;
  if (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 1) return detail(400, 'quantity must be a positive integer');
  if (!itemExists(itemId) && !state.created.has(itemId)) {
    state.outcome?.(ORDER_ERROR_KEY);
    return json(200, { error: `item ${itemId} is out of stock` }, LATENCY.itemCreate);
  }
  return json(200, { orderId: state.random.hex(12), itemId, quantity: q }, LATENCY.itemCreate);
}

/** `GET /api/feed?page=N`: FEED_PAGES pages of items, each with the link to the next (null on the last). */
function feed(_state: DemoState, _req: IncomingMessage, _param: string, query: string): Outcome {
  const raw = new URLSearchParams(query).get('page');
  const page = raw === null || raw === '' ? 1 : Number(raw);
  if (!Number.isSafeInteger(page) || page < 1 || page > FEED_PAGES) return detail(404, `no page ${String(raw)} (pages 1-${FEED_PAGES})`);
  const items = catalogPage(page).slice(0, FEED_PAGE_SIZE);
  return json(200, { page, items, next: page < FEED_PAGES ? `/api/feed?page=${page + 1}` : null }, LATENCY.itemList);
}

/**
 * `POST /api/signed`: `x-signature` must be hex HMAC-SHA256 with SIGNING_SECRET over
 * `METHOD\npath\ndate\nbody`, and `date` (an HTTP date) within 5 minutes of now; else 401 saying why.
 */
async function signed(_state: DemoState, req: IncomingMessage): Promise<Outcome> {
  const body = await readBody(req);
  if (body === null) return detail(413, 'body too large');
  const date = req.headers['date'];
  const signature = req.headers['x-signature'];
  if (typeof date !== 'string' || typeof signature !== 'string') return detail(401, 'date and x-signature headers required');
  const at = Date.parse(date);
  if (Number.isNaN(at) || Math.abs(Date.now() - at) > SIGNED_SKEW_MS) return detail(401, 'date missing or more than 5 minutes off');
  const path = (req.url ?? '/').split('?')[0]!;
  const expected = signRequest('POST', path, date, body.toString('utf8'));
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) return detail(401, 'bad signature');
  return json(200, { ok: true, bytes: body.length }, LATENCY.me);
}

/** The signature `POST /api/signed` expects (hex). */
export function signRequest(method: string, path: string, date: string, body: string): string {
  return createHmac('sha256', SIGNING_SECRET).update(`${method}\n${path}\n${date}\n${body}`).digest('hex');
}

export const SCRIPT_ROUTES: readonly (readonly [string, Handler])[] = [
  ['POST /api/orders', order],
  ['GET /api/feed', feed],
  ['POST /api/signed', signed],
];

/**
 * `GET /tcp/echo` with `upgrade: echo` becomes a raw TCP line protocol: each `PING <text>\n` is
 * answered `PONG <text>\n` and counted. Returns false for any other upgrade (the caller closes it).
 */
export function tcpEcho(req: IncomingMessage, socket: Duplex, head: Buffer, count: (key: string) => void): boolean {
  if ((req.url ?? '').split('?')[0] !== TCP_ECHO_PATH || String(req.headers.upgrade).toLowerCase() !== 'echo') return false;
  count(`GET ${TCP_ECHO_PATH}`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n');
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    if (buffered.length > 64 * 1024) {
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('PING ')) {
        count(TCP_PING_KEY);
        socket.write(`PONG ${line.slice(5)}\n`);
      } else {
        socket.write(`ERR unknown command\n`);
      }
    }
  };
  socket.on('data', onData);
  if (head.length > 0) onData(head);
  socket.on('error', () => socket.destroy());
  return true;
}

export const SCRIPT_ROUTE_SUMMARY = `  POST /api/orders                  json {itemId}; 200 {"error"} when out of stock (3% of ids)
  GET  /api/feed?page=N             ${FEED_PAGES} pages linked by "next"
  POST /api/signed                  x-signature: HMAC-SHA256 (secret ${SIGNING_SECRET}) + date
  GET  ${TCP_ECHO_PATH} (upgrade: echo)   then raw TCP: PING x -> PONG x`;
