/**
 * One virtual user's cookies, like a browser session or Locust's HttpSession: `Set-Cookie` from any
 * response is kept and sent back on later requests. Scoped by name only (a load test talks to one
 * site); honours deletion by `Max-Age=0` or an `Expires` in the past. Not a general-purpose jar.
 */
export class CookieJar {
  private readonly values = new Map<string, { value: string; expiresAt: number }>();
  private header: string | null = null;
  /** The cached header is valid until the earliest expiry among the cookies in it. */
  private headerValidUntil = 0;

  /** Applies one `Set-Cookie` header value. */
  set(setCookie: string, nowMs: number = Date.now()): void {
    const semi = setCookie.indexOf(';');
    const pair = semi === -1 ? setCookie : setCookie.slice(0, semi);
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expiresAt = Infinity;
    if (semi !== -1) {
      for (const attr of setCookie.slice(semi + 1).split(';')) {
        const aeq = attr.indexOf('=');
        const key = (aeq === -1 ? attr : attr.slice(0, aeq)).trim().toLowerCase();
        const val = aeq === -1 ? '' : attr.slice(aeq + 1).trim();
        if (key === 'max-age') {
          const s = Number(val);
          if (Number.isFinite(s)) expiresAt = nowMs + s * 1000;
        } else if (key === 'expires' && expiresAt === Infinity) {
          const t = Date.parse(val);
          if (Number.isFinite(t)) expiresAt = t;
        }
      }
    }
    if (expiresAt <= nowMs) this.values.delete(name);
    else this.values.set(name, { value, expiresAt });
    this.header = null;
  }

  /**
   * The `Cookie` request header value, or null when the jar is empty. Cached until the jar changes.
   * Called for every request: an empty jar reads no clock.
   */
  cookieHeader(nowMs?: number): string | null {
    if (this.values.size === 0) return null;
    if (nowMs === undefined) nowMs = Date.now();
    if (this.header !== null && nowMs < this.headerValidUntil) return this.header;
    const parts: string[] = [];
    let validUntil = Infinity;
    for (const [name, c] of this.values) {
      if (c.expiresAt <= nowMs) {
        this.values.delete(name);
      } else {
        parts.push(`${name}=${c.value}`);
        if (c.expiresAt < validUntil) validUntil = c.expiresAt;
      }
    }
    this.header = parts.length === 0 ? null : parts.join('; ');
    this.headerValidUntil = validUntil;
    return this.header;
  }

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.header = null;
  }
}
