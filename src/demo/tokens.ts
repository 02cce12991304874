/**
 * Bearer tokens for the demo's login: stateless and signed (`<base64url user>.<HMAC>`), so any
 * number of logins costs no memory and a token stays valid for the server's lifetime. A server
 * started with a different secret rejects it, like a real service after a key rotation.
 */

import { createHmac } from 'node:crypto';

export class TokenSigner {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  #mac(user: string): string {
    return createHmac('sha256', this.#secret).update(user).digest('base64url').slice(0, 27);
  }

  issue(user: string): string {
    return `${Buffer.from(user, 'utf8').toString('base64url')}.${this.#mac(user)}`;
  }

  /** The user a token was issued to, or null when it is malformed or not ours. */
  verify(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const user = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
    return user !== '' && token.slice(dot + 1) === this.#mac(user) ? user : null;
  }

  /** The user named by an `Authorization: Bearer <token>` header, or null. */
  userFromHeader(authorization: string | undefined): string | null {
    if (authorization === undefined || !/^bearer /i.test(authorization)) return null;
    return this.verify(authorization.slice(7).trim());
  }
}
