/**
 * The demo target's API: which (method, path) is which route, and what each route answers. Route
 * keys (`GET /api/items/:id`) are also the keys of `/__cicada/counts`. Handlers decide the answer
 * and its latency profile; they never wait themselves (the server applies the latency).
 */

import type { IncomingMessage } from 'node:http';
import type { CartStore } from './carts.js';
import type { Item } from './catalog.js';
import type { Outcome } from './http-io.js';
import type { Random } from './random.js';
import type { TokenBucket } from './rate-limiter.js';
import type { TokenSigner } from './tokens.js';
import { readCookie } from './carts.js';
import { catalogItem, catalogPage, itemExists } from './catalog.js';
import { detail, hasBody, json, readJsonObject } from './http-io.js';
import { LATENCY } from './latency.js';
import { SCRIPT_ROUTE_SUMMARY, SCRIPT_ROUTES } from './script-routes.js';

/** Everything the handlers share. One per server. */
export interface DemoState {
  readonly random: Random;
  readonly tokens: TokenSigner;
  readonly carts: CartStore;
  readonly limiter: TokenBucket;
  /** Items made by `POST /api/items`, newest last, at most MAX_CREATED_ITEMS. */
  readonly created: Map<number, Item>;
  nextCreatedId: number;
  /** The monotonic clock, ms (`performance.now`), for the rate limiter. */
  readonly nowMs: () => number;
  /** Counts an outcome (like an order refused) under its own key of `/__cicada/counts`, outside `total`. */
  outcome?: (key: string) => void;
}

export type Handler = (state: DemoState, req: IncomingMessage, param: string, query: string) => Outcome | Promise<Outcome>;

export interface Route {
  /** `METHOD path-template`, the counting key. */
  readonly key: string;
  readonly handler: Handler;
  /** The path parameter (`:id`), or ''. */
  readonly param: string;
}

export const API_KEY = 'demo-key';
export const RATE_LIMIT_PER_SEC = 50;
export const FLAKY_FAILURE_RATE = 0.05;
export const FIRST_CREATED_ID = 1_000_001;
const MAX_CREATED_ITEMS = 10_000;

const NOT_AUTHENTICATED = detail(401, 'Not authenticated');
const ITEM_NOT_FOUND = detail(404, 'Item not found');
export const NOT_FOUND = detail(404, 'Not Found');

/** Runs `then` with the bearer user, or answers 401. */
function withUser(
  state: DemoState,
  req: IncomingMessage,
  then: (user: string) => Outcome | Promise<Outcome>,
): Outcome | Promise<Outcome> {
  const user = state.tokens.userFromHeader(req.headers.authorization);
  return user === null ? NOT_AUTHENTICATED : then(user);
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

async function login(state: DemoState, req: IncomingMessage): Promise<Outcome> {
  const body = await readJsonObject(req);
  if ('error' in body) return body.error;
  const { user, password } = body.value;
  if (!nonEmptyString(user) || !nonEmptyString(password)) return detail(400, 'user and password required');
  return json(200, { token: state.tokens.issue(user), user }, LATENCY.login);
}

function listItems(state: DemoState, req: IncomingMessage, _param: string, query: string): Outcome | Promise<Outcome> {
  return withUser(state, req, () => {
    const raw = new URLSearchParams(query).get('page');
    const page = raw === null || raw === '' ? 1 : Number(raw);
    if (!Number.isSafeInteger(page) || page < 1) return detail(400, 'page must be a positive integer');
    return json(200, { page, items: catalogPage(page) }, LATENCY.itemList);
  });
}

function getItem(state: DemoState, req: IncomingMessage, param: string): Outcome | Promise<Outcome> {
  return withUser(state, req, () => {
    const id = /^\d{1,15}$/.test(param) ? Number(param) : NaN;
    const item = state.created.get(id) ?? catalogItem(id);
    return item === null ? { ...ITEM_NOT_FOUND, latency: LATENCY.item } : json(200, item, LATENCY.item);
  });
}

function createItem(state: DemoState, req: IncomingMessage): Outcome | Promise<Outcome> {
  return withUser(state, req, async () => {
    const body = await readJsonObject(req);
    if ('error' in body) return body.error;
    const { name, price } = body.value;
    if (name !== undefined && !nonEmptyString(name)) return detail(400, 'name must be a non-empty string');
    if (price !== undefined && (typeof price !== 'number' || !(price >= 0))) {
      return detail(400, 'price must be a non-negative number');
    }
    const id = state.nextCreatedId++;
    const item: Item = { id, name: name ?? `Item ${id}`, price: price ?? 0 };
    if (state.created.size >= MAX_CREATED_ITEMS) state.created.delete(state.created.keys().next().value!);
    state.created.set(id, item);
    return json(201, item, LATENCY.itemCreate, { location: `/api/items/${id}` });
  });
}

/** The first catalog items, searched by `/api/search`. */
const SEARCHABLE: readonly Item[] = Array.from({ length: 25 }, (_, i) => catalogPage(i + 1)).flat();

function search(_state: DemoState, _req: IncomingMessage, _param: string, query: string): Outcome {
  const q = (new URLSearchParams(query).get('q') ?? '').trim();
  const needle = q.toLowerCase();
  const matches = SEARCHABLE.filter((item) => item.name.toLowerCase().includes(needle));
  return json(200, { q, total: matches.length, results: matches.slice(0, 10) }, LATENCY.search);
}

function flaky(state: DemoState): Outcome {
  return state.random.next() < FLAKY_FAILURE_RATE
    ? { ...detail(500, 'Internal Server Error'), latency: LATENCY.flaky }
    : json(200, { status: 'ok' }, LATENCY.flaky);
}

function limited(state: DemoState): Outcome {
  return state.limiter.take(state.nowMs())
    ? json(200, { status: 'ok' }, LATENCY.limited)
    : detail(429, 'Too Many Requests', { 'retry-after': '1' });
}

function reports(_state: DemoState, req: IncomingMessage): Outcome {
  if (req.headers['x-api-key'] !== API_KEY) return detail(403, 'Not authenticated: API key required');
  return json(
    200,
    {
      reports: [
        { id: 1, name: 'daily-sales', rows: 1440 },
        { id: 2, name: 'weekly-signups', rows: 168 },
        { id: 3, name: 'monthly-churn', rows: 30 },
      ],
    },
    LATENCY.reports,
  );
}

function cartBody(cart: { readonly lines: readonly { itemId: number; quantity: number }[] }): unknown {
  let count = 0;
  for (const line of cart.lines) count += line.quantity;
  return { items: cart.lines, count };
}

async function addToCart(state: DemoState, req: IncomingMessage): Promise<Outcome> {
  let itemId: number | undefined;
  let quantity = 1;
  if (hasBody(req)) {
    const body = await readJsonObject(req);
    if ('error' in body) return body.error;
    const v = body.value;
    if (v['itemId'] !== undefined) {
      if (typeof v['itemId'] !== 'number' || !Number.isSafeInteger(v['itemId']) || v['itemId'] < 1) {
        return detail(400, 'itemId must be a positive integer');
      }
      itemId = v['itemId'];
    }
    if (v['quantity'] !== undefined) {
      if (typeof v['quantity'] !== 'number' || !Number.isSafeInteger(v['quantity']) || v['quantity'] < 1) {
        return detail(400, 'quantity must be a positive integer');
      }
      quantity = v['quantity'];
    }
  }
  if (itemId !== undefined && !itemExists(itemId) && !state.created.has(itemId)) return ITEM_NOT_FOUND;
  const cart = state.carts.get(readCookie(req.headers.cookie, 'session')) ?? state.carts.create();
  if (itemId !== undefined) state.carts.add(cart, itemId, quantity);
  return json(201, cartBody(cart), LATENCY.cart, { 'set-cookie': `session=${cart.session}; Path=/; HttpOnly` });
}

function getCart(state: DemoState, req: IncomingMessage): Outcome {
  const cart = state.carts.get(readCookie(req.headers.cookie, 'session'));
  return cart === undefined ? NOT_AUTHENTICATED : json(200, cartBody(cart), LATENCY.cart);
}

const STATIC_ROUTES = new Map<string, Handler>([
  ['GET /health', () => json(200, { status: 'ok' })],
  ['POST /api/login', login],
  ['GET /api/me', (state, req) => withUser(state, req, (user) => json(200, { user }, LATENCY.me))],
  ['GET /api/items', listItems],
  ['POST /api/items', createItem],
  ['GET /api/search', search],
  ['GET /api/slow', () => json(200, { status: 'ok' }, LATENCY.slow)],
  ['GET /api/flaky', flaky],
  ['GET /api/limited', limited],
  ['GET /api/reports', reports],
  ['POST /api/cart', addToCart],
  ['GET /api/cart', getCart],
  ...SCRIPT_ROUTES,
]);

const ITEM_PREFIX = '/api/items/';
const ITEM_ROUTE_KEY = 'GET /api/items/:id';

/** The route for a request, or null (404 Not Found). `path` has no query string. */
export function matchRoute(method: string, path: string): Route | null {
  const key = `${method} ${path}`;
  const handler = STATIC_ROUTES.get(key);
  if (handler !== undefined) return { key, handler, param: '' };
  if (method === 'GET' && path.startsWith(ITEM_PREFIX) && path.length > ITEM_PREFIX.length) {
    const param = path.slice(ITEM_PREFIX.length);
    if (!param.includes('/')) return { key: ITEM_ROUTE_KEY, handler: getItem, param };
  }
  return null;
}

/** The counting key of a request no route matched. */
export const unmatchedKey = (method: string): string => `${method} *`;

/** A human-readable list of the routes, for the server's banner. */
export const ROUTE_SUMMARY = `routes:
  GET  /health                      200 {"status":"ok"}
  POST /api/login                   json {user, password} -> {"token", "user"}
  GET  /api/me                      bearer token
  GET  /api/items?page=N            bearer token; 20 items a page
  GET  /api/items/:id               bearer token; 3% of ids 404
  POST /api/items                   bearer token; 201
  GET  /api/search?q=...            50-200 ms
  GET  /api/slow                    0.5-2 s
  GET  /api/flaky                   5% 500
  GET  /api/limited                 429 above ${RATE_LIMIT_PER_SEC} req/s
  GET  /api/reports                 header x-api-key: ${API_KEY}
  POST /api/cart, GET /api/cart     session cookie
${SCRIPT_ROUTE_SUMMARY}
  GET  /metrics                     Prometheus text: its CPU, memory, event-loop lag, requests in flight, a simulated DB pool
  GET  /__cicada/counts             requests received per route`;
