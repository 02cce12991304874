/**
 * Shopping carts keyed by a session cookie. Bounded: beyond `maxSessions` the oldest session is
 * forgotten (its cookie then gets 401), so a long soak test cannot grow memory without limit.
 */

import type { Random } from './random.js';

export interface CartLine {
  readonly itemId: number;
  quantity: number;
}

export interface Cart {
  readonly session: string;
  readonly lines: CartLine[];
}

export class CartStore {
  readonly #carts = new Map<string, Cart>();
  readonly #random: Random;
  readonly #maxSessions: number;

  constructor(random: Random, maxSessions = 10_000) {
    this.#random = random;
    this.#maxSessions = maxSessions;
  }

  get size(): number {
    return this.#carts.size;
  }

  /** A new, empty cart with a fresh session id. */
  create(): Cart {
    if (this.#carts.size >= this.#maxSessions) {
      const oldest = this.#carts.keys().next();
      if (oldest.done !== true) this.#carts.delete(oldest.value);
    }
    const cart: Cart = { session: this.#random.hex(24), lines: [] };
    this.#carts.set(cart.session, cart);
    return cart;
  }

  get(session: string | undefined): Cart | undefined {
    return session === undefined ? undefined : this.#carts.get(session);
  }

  add(cart: Cart, itemId: number, quantity: number): void {
    const line = cart.lines.find((l) => l.itemId === itemId);
    if (line !== undefined) line.quantity += quantity;
    else if (cart.lines.length < 100) cart.lines.push({ itemId, quantity });
  }
}

/** The value of cookie `name` in a `Cookie` request header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
