import { Backoff, sleep } from './backoff.js';
import { isRetryable, retryAfterMs } from './http.js';
import { RelayError } from './types.js';

interface Entry<T> {
  attempt: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Sends one at a time, in the order they were queued, each only while {@code online()} holds.
 * A retryable failure (network, 409, 429, 5xx gateway/unavailable) waits Retry-After — or a
 * full-jitter back-off when the server gave none — and repeats the same attempt, which carries the
 * same Idempotency-Key, so however many tries it takes the server stores it once.
 */
export class Outbox {
  private readonly queue: Entry<unknown>[] = [];
  private running = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly online: () => Promise<void>,
    private readonly backoff: Backoff,
    private readonly maxAttempts: number,
    private readonly onRetry: (error: RelayError, delayMs: number) => void,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  enqueue<T>(attempt: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.abort.signal.aborted) {
        reject(this.abort.signal.reason);
        return;
      }
      this.queue.push({ attempt, resolve, reject } as Entry<unknown>);
      if (!this.running) {
        this.running = true;
        void this.pump();
      }
    });
  }

  /** Rejects everything still queued; nothing more is sent. */
  close(reason: Error): void {
    this.abort.abort(reason);
    for (const entry of this.queue.splice(0)) {
      entry.reject(reason);
    }
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.abort.signal.aborted) {
        const entry = this.queue[0];
        let tries = 0;
        for (;;) {
          try {
            await this.online();
            if (this.abort.signal.aborted) {
              return;
            }
            tries++;
            const value = await entry.attempt();
            this.backoff.reset();
            this.queue.shift();
            entry.resolve(value);
            break;
          } catch (error) {
            if (this.abort.signal.aborted) {
              return;
            }
            if (!isRetryable(error) || tries >= this.maxAttempts) {
              this.queue.shift();
              entry.reject(error);
              break;
            }
            const delay = retryAfterMs(error) ?? this.backoff.next();
            this.onRetry(error, delay);
            try {
              await sleep(delay, this.abort.signal);
            } catch {
              return;
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
