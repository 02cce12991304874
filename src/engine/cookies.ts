/**
 * One virtual user's cookies, like a browser session or Locust's HttpSession: RFC 6265 scoping
 * (domain, host-only, path, `Secure`, `Max-Age`/`Expires`) by `tough-cookie`'s jar, with the
 * bounds browsers keep, so a server cannot grow the `Cookie` header without limit:
 *
 * - a cookie whose `name=value` is over {@link MAX_COOKIE_BYTES} bytes is ignored (RFC 6265 §6.1's
 *   minimum; browsers ignore larger ones too);
 * - at most {@link MAX_COOKIES_PER_DOMAIN} cookies per domain: a new one evicts the one set or
 *   replaced longest ago (Firefox and RFC 6265 §6.1 keep at least 50);
 * - at most {@link MAX_COOKIES} in all.
 *
 * So a `Cookie` header is at most 50 × 4 KiB. Hot path: an empty jar costs one comparison per
 * request and reads no clock; a non-empty one caches the header per URL until the jar changes or a
 * cookie in it expires.
 */
import { type Cookie, CookieJar as ToughJar, MemoryCookieStore } from 'tough-cookie';

export const MAX_COOKIE_BYTES = 4096;
export const MAX_COOKIES_PER_DOMAIN = 50;
export const MAX_COOKIES = 300;

interface Held {
  readonly domain: string;
  readonly path: string;
  readonly key: string;
  /** Epoch ms, Infinity for a session cookie. */
  readonly expiresAt: number;
}

export class CookieJar {
  private readonly store = new MemoryCookieStore();
  private readonly jar = new ToughJar(this.store, { looseMode: true });
  /** domain → `path;key` → cookie, oldest first (a replaced cookie moves to the end). */
  private readonly byDomain = new Map<string, Map<string, Held>>();
  private count = 0;
  private cachedUrl = '';
  private cachedHeader: string | null = null;
  private cachedUntil = 0;

  /** Applies one `Set-Cookie` header value received from `url` (`http://h:1/path`). */
  set(setCookie: string, url: string, nowMs: number = Date.now()): void {
    const semi = setCookie.indexOf(';');
    if ((semi === -1 ? setCookie.length : semi) > MAX_COOKIE_BYTES) return;
    let cookie: Cookie | undefined;
    try {
      cookie = this.jar.setCookieSync(setCookie, url, { now: new Date(nowMs), ignoreError: true });
    } catch {
      return; // a cookie the jar refuses (wrong domain, public suffix, malformed) is ignored, as browsers do
    }
    if (cookie === undefined || cookie.domain === null || cookie.path === null) return;
    this.cachedUrl = '';
    const domain = cookie.domain;
    let held = this.byDomain.get(domain);
    const id = `${cookie.path};${cookie.key}`;
    if (held?.delete(id) === true) this.count--;
    const expiry = cookie.expiryTime(new Date(nowMs));
    const expiresAt = expiry === undefined ? Infinity : expiry;
    if (expiresAt <= nowMs) {
      if (held?.size === 0) this.byDomain.delete(domain);
      return; // a deletion (Max-Age=0, Expires in the past): the jar removes it on the next read
    }
    if (held === undefined) this.byDomain.set(domain, (held = new Map()));
    held.set(id, { domain, path: cookie.path, key: cookie.key, expiresAt });
    this.count++;
    if (held.size > MAX_COOKIES_PER_DOMAIN) this.evict(held, nowMs);
    if (this.count > MAX_COOKIES) {
      for (const other of this.byDomain.values()) {
        this.evict(other, nowMs);
        if (this.count <= MAX_COOKIES) break;
      }
    }
  }

  /**
   * The `Cookie` request header for `url`, or null when no cookie applies. `url` is only built by
   * the caller when `isEmpty` is false.
   */
  cookieHeader(url: string, nowMs: number = Date.now()): string | null {
    if (this.count === 0) return null;
    if (url === this.cachedUrl && nowMs < this.cachedUntil) return this.cachedHeader;
    let header: string;
    try {
      header = this.jar.getCookieStringSync(url);
    } catch {
      return null;
    }
    this.cachedUntil = this.earliestExpiry(nowMs);
    this.cachedUrl = url;
    this.cachedHeader = header === '' ? null : header;
    return this.cachedHeader;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get size(): number {
    return this.count;
  }

  /** Drops the oldest cookies of one domain (expired ones first) until it is within its cap. */
  private evict(held: Map<string, Held>, nowMs: number): void {
    for (const [id, c] of held) {
      if (c.expiresAt <= nowMs) this.remove(held, id, c);
    }
    for (const [id, c] of held) {
      if (held.size <= MAX_COOKIES_PER_DOMAIN && this.count <= MAX_COOKIES) break;
      this.remove(held, id, c);
    }
  }

  private remove(held: Map<string, Held>, id: string, c: Held): void {
    held.delete(id);
    this.count--;
    this.cachedUrl = '';
    // MemoryCookieStore works synchronously under its callback API.
    this.store.removeCookie(c.domain, c.path, c.key, () => {});
    if (held.size === 0) this.byDomain.delete(c.domain);
  }

  /** The earliest expiry among the cookies held; forgets the expired ones (the jar dropped them on this read). */
  private earliestExpiry(nowMs: number): number {
    let until = Infinity;
    for (const held of [...this.byDomain.values()]) {
      for (const [id, c] of held) {
        if (c.expiresAt <= nowMs) this.remove(held, id, c);
        else if (c.expiresAt < until) until = c.expiresAt;
      }
    }
    return until;
  }
}
