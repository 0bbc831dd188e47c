import { RelayError } from './types.js';
import { TokenSource } from './token.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Statuses after which the same request may simply be tried again (API.md "Errors"). */
const RETRYABLE = new Set([408, 409, 425, 429, 502, 503, 504]);

export interface HttpAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One authenticated JSON call; a 401 refreshes the token and tries once more. */
export class RelayHttp {
  constructor(
    private readonly tokens: TokenSource,
    private readonly fetchImpl: FetchLike,
  ) {}

  async call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    let response = await this.once(method, url, body, headers, await this.tokens.get());
    if (response.status === 401) {
      response = await this.once(method, url, body, headers, await this.tokens.refresh());
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      throw problem(response, parsed);
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  private async once(method: string, url: string, body: unknown, headers: Record<string, string>, token: string): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new RelayError(`network error on ${method} ${url}: ${(e as Error)?.message ?? e}`, 0, 'network');
    }
  }
}

/** A failure that the same request may cure when tried again later. */
export function isRetryable(error: unknown): error is RelayError {
  return error instanceof RelayError && (error.status === 0 || RETRYABLE.has(error.status));
}

/** The server's Retry-After in milliseconds (seconds or an HTTP date), if it gave one. */
export function retryAfterMs(error: RelayError, now: () => number = Date.now): number | undefined {
  const value = (error.problem?.['retryAfter'] as string | undefined) ?? undefined;
  if (value === undefined) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function problem(response: Response, parsed: unknown): RelayError {
  const body = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const type = typeof body['type'] === 'string' ? (body['type'] as string) : '';
  const slug = type ? type.substring(type.lastIndexOf('/') + 1) : `http-${response.status}`;
  const retryAfter = response.headers.get('Retry-After');
  const detail = typeof body['detail'] === 'string' ? body['detail'] : typeof body['title'] === 'string' ? body['title'] : response.statusText;
  return new RelayError(`${response.status} ${slug}: ${detail}`, response.status, slug, {
    ...body,
    ...(retryAfter === null ? {} : { retryAfter }),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}
