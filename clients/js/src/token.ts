/** A token, or a function that fetches a fresh one (called again before the current one expires). */
export type TokenProvider = string | (() => string | Promise<string>);

/**
 * Caches the JWT and asks the provider again when it is within {@code marginMs} of its {@code exp}
 * (read from the payload, unverified: the server verifies) or after the server refused it.
 */
export class TokenSource {
  private current?: { jwt: string; expiresAtMs: number };
  private pending?: Promise<string>;

  constructor(
    private readonly provider: TokenProvider,
    private readonly marginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.current && this.current.expiresAtMs - this.marginMs > this.now()) {
      return this.current.jwt;
    }
    return this.refresh();
  }

  /** Drops the cached token (the server said 401 or closed with 4001) and fetches a new one. */
  refresh(): Promise<string> {
    this.pending ??= (async () => {
      try {
        const jwt = typeof this.provider === 'string' ? this.provider : await this.provider();
        this.current = { jwt, expiresAtMs: expiry(jwt) };
        return jwt;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** Milliseconds until the cached token should be replaced, if it is known. */
  refreshInMs(): number | undefined {
    return this.current && Number.isFinite(this.current.expiresAtMs)
      ? Math.max(0, this.current.expiresAtMs - this.marginMs - this.now())
      : undefined;
  }
}

function expiry(jwt: string): number {
  try {
    const payload = jwt.split('.')[1];
    const json = JSON.parse(decodeBase64Url(payload)) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
