import { Backoff, sleep } from './backoff.js';
import { CursorBook } from './cursors.js';
import { Emitter } from './emitter.js';
import { FetchLike, RelayHttp } from './http.js';
import { Outbox } from './outbox.js';
import { CloseCode, OPEN, WebSocketConstructor, WebSocketLike } from './socket.js';
import { CursorStore, defaultCursorStore } from './store.js';
import { TokenProvider, TokenSource } from './token.js';
import {
  Conversation, ConnectionState, Delivery, HistoryPage, Inbox, Membership, Message, Qos, Receipt,
  RelayError, SendResult, ServerFrame, Signal, SignalResult, StateChange,
} from './types.js';

export interface RelayClientOptions {
  /** ingest-fn base URL, e.g. http://localhost:8081 */
  ingestUrl: string;
  /** sync-fn base URL, e.g. http://localhost:8083 (a trailing /v1/sync is accepted) */
  syncUrl: string;
  /** websocket-edge URL, e.g. ws://localhost:8082 (a trailing /v1/stream is accepted) */
  edgeUrl: string;
  /** The JWT, or a function returning a fresh one; called again before expiry and after 401/4001. */
  token: TokenProvider;
  /** Device id: one connection per user and device (a newer one replaces an older one, 4010). */
  device?: string;
  /** WebSocket implementation; defaults to globalThis.WebSocket (the browser's). In Node pass `ws`. */
  WebSocket?: WebSocketConstructor;
  /** fetch implementation; defaults to globalThis.fetch. */
  fetch?: FetchLike;
  /** Where cursors are kept; localStorage in a browser, memory elsewhere. */
  store?: CursorStore;
  /** Reconnect back-off: full jitter in [0, min(maxMs, baseMs·2^n)], reset after stableMs connected. */
  reconnect?: { baseMs?: number; maxMs?: number; stableMs?: number };
  /** Send retry back-off when the server gives no Retry-After; maxAttempts bounds tries (default unbounded). */
  sendRetry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** Messages per /v1/sync page (max 1000). */
  syncLimit?: number;
  /** Fetch a new token this long before the current one's exp. */
  tokenRefreshMarginMs?: number;
  /** Test hook: return false to drop an incoming frame as if the network had lost it. */
  frameFilter?: (frame: ServerFrame) => boolean;
}

export interface SendOptions {
  meta?: Record<string, unknown>;
  qos?: Qos;
  /** Made by the client when absent; kept across every retry of this send. */
  idempotencyKey?: string;
}

type Events = {
  state: [StateChange];
  message: [Message, Delivery];
  signal: [Signal];
  receipt: [Receipt];
  membership: [Membership];
  error: [Error];
};

/**
 * A Relay client for one user and device. It shows every stored message exactly once and in seq
 * order per conversation: it keeps one cursor per conversation, drops seq ≤ cursor, and syncs on a
 * gap, on every (re)connect and on resync; pushes that arrive during a sync wait for it.
 */
export class RelayClient extends Emitter<Events> {
  private readonly options: RelayClientOptions;
  private readonly tokens: TokenSource;
  private readonly http: RelayHttp;
  private readonly WS: WebSocketConstructor;
  private readonly store: CursorStore;
  private readonly reconnectBackoff: Backoff;
  private readonly outbox: Outbox;
  private readonly ingest: string;
  private readonly syncBase: string;
  private readonly edge: string;

  private book?: CursorBook;
  private socket?: WebSocketLike;
  private current: ConnectionState = 'disconnected';
  private started = false;
  private closed = false;
  private ready = false;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeat?: ReturnType<typeof setInterval>;
  private lastFrameAt = 0;
  private failuresBeforeHello = 0;
  private drainReconnectAt?: number;
  private syncing?: Promise<void>;
  private syncAgain = false;
  private readonly pendingAcks = new Set<string>();
  private onlineWaiters: (() => void)[] = [];
  private firstConnect?: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };

  constructor(options: RelayClientOptions) {
    super();
    this.options = options;
    const ws = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ws) {
      throw new TypeError('no WebSocket implementation: pass one as options.WebSocket (in Node: the ws package)');
    }
    this.WS = ws;
    const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    this.tokens = new TokenSource(options.token, options.tokenRefreshMarginMs ?? 30_000);
    this.http = new RelayHttp(this.tokens, fetchImpl);
    this.store = options.store ?? defaultCursorStore(`relay.cursors.${options.device ?? 'default'}`);
    this.reconnectBackoff = new Backoff(options.reconnect?.baseMs ?? 500, options.reconnect?.maxMs ?? 30_000);
    this.outbox = new Outbox(
      () => this.online(),
      new Backoff(options.sendRetry?.baseMs ?? 250, options.sendRetry?.maxMs ?? 10_000),
      options.sendRetry?.maxAttempts ?? Number.POSITIVE_INFINITY,
      (error) => this.emit('error', error),
    );
    this.ingest = trimEnd(options.ingestUrl, '');
    this.syncBase = trimEnd(options.syncUrl, '/v1/sync');
    this.edge = trimEnd(options.edgeUrl, '/v1/stream') + '/v1/stream';
  }

  /** The connection's state now. */
  get state(): ConnectionState {
    return this.current;
  }

  /** The highest seq shown per conversation. */
  cursors(): Record<string, number> {
    return this.book?.snapshot() ?? {};
  }

  /** Opens the stream; resolves once the first connection is up (it keeps reconnecting after that). */
  async connect(): Promise<void> {
    if (this.closed) {
      throw new RelayError('client is closed', 0, 'closed');
    }
    if (!this.started) {
      this.started = true;
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.firstConnect = { promise, resolve, reject };
      this.book = new CursorBook(await this.store.load(), (m, via) => this.show(m, via));
      void this.open();
    }
    return this.firstConnect!.promise;
  }

  /** Closes the stream for good; queued sends are rejected. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stopTimers();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client closed');
    const error = new RelayError('client closed', 0, 'closed');
    this.outbox.close(error);
    this.firstConnect?.reject(error);
    for (const wake of this.onlineWaiters.splice(0)) wake();
    this.setState({ state: 'closed', code: 1000, reason: 'client closed' });
  }

  // ---- HTTP API ----

  async createConversation(members: string[], title?: string): Promise<Conversation> {
    return (await this.http.call<Conversation>('POST', `${this.ingest}/v1/conversations`, { members, title })).body;
  }

  async addMember(conversationId: string, userId: string): Promise<void> {
    await this.http.call('POST', `${this.ingest}/v1/conversations/${enc(conversationId)}/members`, { userId });
  }

  async removeMember(conversationId: string, userId: string): Promise<void> {
    await this.http.call('DELETE', `${this.ingest}/v1/conversations/${enc(conversationId)}/members/${enc(userId)}`);
  }

  /**
   * Sends a message. Stored sends (exactly-once, at-least-once) go through the offline queue: in
   * order, once connected, retried after Retry-After with the same Idempotency-Key. at-most-once
   * (typing, signals) is tried once, now.
   */
  send(conversationId: string, body: string, options?: SendOptions & { qos: 'at-most-once' }): Promise<SignalResult>;
  send(conversationId: string, body: string, options?: SendOptions): Promise<SendResult>;
  async send(conversationId: string, body: string, options: SendOptions = {}): Promise<SendResult | SignalResult> {
    const qos = options.qos ?? 'exactly-once';
    const url = `${this.ingest}/v1/conversations/${enc(conversationId)}/messages`;
    const payload = { body, qos, ...(options.meta === undefined ? {} : { meta: options.meta }) };
    if (qos === 'at-most-once') {
      return (await this.http.call<SignalResult>('POST', url, payload)).body;
    }
    const key = options.idempotencyKey ?? newKey();
    return this.outbox.enqueue(async () => {
      const answer = await this.http.call<SendResult>('POST', url, payload, { 'Idempotency-Key': key });
      return { ...answer.body, replayed: answer.headers.get('Idempotent-Replayed') === 'true' };
    });
  }

  /** Raises this user's readSeq (members online get a receipt). */
  async markRead(conversationId: string, seq: number): Promise<void> {
    await this.http.call('POST', `${this.syncBase}/v1/conversations/${enc(conversationId)}/read`, { seq });
  }

  /** One page of the inbox, most recently active first, with unread counts. */
  async conversations(options: { limit?: number; cursor?: string } = {}): Promise<Inbox> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.http.call<Inbox>('GET', `${this.syncBase}/v1/conversations${suffix}`)).body;
  }

  /** Older (before) or newer (after) messages of one conversation; they are not emitted as 'message'. */
  async history(conversationId: string, options: { before?: number; after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined) query.set(name, String(value));
    }
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.http.call<HistoryPage>('GET', `${this.syncBase}/v1/conversations/${enc(conversationId)}/messages${suffix}`)).body;
  }

  /** Fetches everything above the cursors now (also done on every connect, gap and resync). */
  sync(): Promise<void> {
    if (!this.book) {
      return Promise.reject(new RelayError('call connect() first', 0, 'not-connected'));
    }
    return this.requestSync();
  }

  // ---- connection ----

  private async open(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.setState({ state: 'connecting' });
    let token: string;
    try {
      token = this.failuresBeforeHello >= 3 && this.failuresBeforeHello % 3 === 0 ? await this.tokens.refresh() : await this.tokens.get();
    } catch (error) {
      this.emit('error', asError(error));
      this.retryLater(undefined, 'token unavailable');
      return;
    }
    if (this.closed) {
      return;
    }
    const url = new URL(this.edge);
    url.searchParams.set('access_token', token);
    if (this.options.device) {
      url.searchParams.set('device', this.options.device);
    }
    let socket: WebSocketLike;
    try {
      socket = new this.WS(url.toString());
    } catch (error) {
      this.emit('error', asError(error));
      this.retryLater(undefined, 'could not open');
      return;
    }
    this.socket = socket;
    this.ready = false;
    this.lastFrameAt = Date.now();
    socket.onmessage = (event) => {
      if (this.socket === socket) {
        this.onFrame(socket, typeof event.data === 'string' ? event.data : String(event.data));
      }
    };
    socket.onclose = (event) => {
      if (this.socket === socket) {
        this.lost(event.code, event.reason);
      }
    };
    socket.onerror = () => {
      // A close event follows every error; that is where reconnecting starts.
    };
  }

  private onFrame(socket: WebSocketLike, text: string): void {
    this.lastFrameAt = Date.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      this.emit('error', new RelayError('unparsable frame from the server', 0, 'bad-frame'));
      return;
    }
    if (this.options.frameFilter && !this.options.frameFilter(frame)) {
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.onHello(socket, frame.heartbeatSeconds);
        break;
      case 'message':
        this.onPush(frame.message);
        break;
      case 'signal':
        this.emit('signal', frame);
        break;
      case 'receipt':
        this.emit('receipt', frame);
        break;
      case 'membership':
        this.emit('membership', frame);
        break;
      case 'resync':
        void this.requestSync().catch(() => undefined);
        break;
      case 'draining':
        this.onDraining(socket, frame.reconnectAfterMs);
        break;
      case 'pong':
        break;
      case 'error':
        this.emit('error', new RelayError(`server refused a frame: ${frame.detail}`, 0, frame.code));
        break;
      default:
        // Frame types added later are ignored, as API.md lets servers add them.
        break;
    }
  }

  private onHello(socket: WebSocketLike, heartbeatSeconds: number): void {
    this.ready = true;
    this.failuresBeforeHello = 0;
    this.drainReconnectAt = undefined;
    const beatMs = Math.max(1, heartbeatSeconds || 25) * 1000;
    // Ping twice per heartbeat; the server answers pong, so two heartbeats of silence mean a dead link.
    this.heartbeat = setInterval(() => {
      if (this.socket !== socket) {
        return;
      }
      if (Date.now() - this.lastFrameAt > 2 * beatMs) {
        this.drop(socket, CloseCode.SILENT, 'server silent');
        return;
      }
      this.write(socket, { type: 'ping' });
    }, beatMs / 2);
    this.later(() => {
      if (this.socket === socket) this.reconnectBackoff.reset();
    }, this.options.reconnect?.stableMs ?? 10_000);
    this.setState({ state: 'connected' });
    this.firstConnect?.resolve();
    for (const wake of this.onlineWaiters.splice(0)) wake();
    // Whatever was committed while this device was away (or pushed to the previous connection).
    void this.requestSync().catch(() => undefined);
    this.scheduleTokenRefresh(socket);
  }

  /** A new token before this one expires, so the next connection and HTTP call use a valid one. */
  private scheduleTokenRefresh(socket: WebSocketLike): void {
    const inMs = this.tokens.refreshInMs();
    if (inMs !== undefined && inMs < 2 ** 31 - 1) {
      this.later(() => {
        if (this.socket === socket) void this.tokens.refresh().catch((e) => this.emit('error', asError(e)));
      }, inMs);
    }
  }

  private onDraining(socket: WebSocketLike, reconnectAfterMs: number): void {
    this.drainReconnectAt = Date.now() + Math.max(0, reconnectAfterMs);
    // The server closes with 1001; if it has not by then, leave it ourselves and move on.
    this.later(() => {
      if (this.socket === socket) this.drop(socket, 1000, 'draining');
    }, Math.max(0, reconnectAfterMs));
  }

  /** Leaves a socket without waiting for its close handshake and reconnects. */
  private drop(socket: WebSocketLike, code: number, reason: string): void {
    socket.onclose = null;
    socket.onmessage = null;
    try {
      socket.close(code, reason);
    } catch {
      // already closing
    }
    this.lost(code, reason);
  }

  private lost(code: number, reason: string): void {
    this.socket = undefined;
    const wasReady = this.ready;
    this.ready = false;
    this.stopTimers();
    if (this.closed) {
      return;
    }
    if (!wasReady) {
      this.failuresBeforeHello++;
    }
    if (code === CloseCode.REPLACED) {
      // Another connection of this user and device took over; reconnecting would evict it in turn.
      this.closed = true;
      this.outbox.close(new RelayError('replaced by a newer connection of this device', 0, 'replaced'));
      this.setState({ state: 'closed', code, reason });
      return;
    }
    let delay: number;
    if (this.drainReconnectAt !== undefined) {
      delay = Math.max(0, this.drainReconnectAt - Date.now());
      this.drainReconnectAt = undefined;
    } else if (code === CloseCode.TOKEN_EXPIRED) {
      void this.tokens.refresh().catch(() => undefined);
      delay = wasReady ? 0 : this.reconnectBackoff.next();
    } else {
      // 4009 (too slow) and 4008 included: reconnect, and the hello's sync catches up.
      delay = this.reconnectBackoff.next();
    }
    this.retryLater(code, reason, delay);
  }

  private retryLater(code: number | undefined, reason: string, delay = this.reconnectBackoff.next()): void {
    this.setState({ state: 'disconnected', code, reason, retryInMs: delay });
    this.later(() => void this.open(), delay);
  }

  // ---- delivery ----

  private onPush(message: Message): void {
    const book = this.book!;
    const outcome = book.offer(message, 'push', this.syncing !== undefined);
    if (outcome === 'duplicate') {
      this.ackSoon(message.conversationId);
    } else if (outcome === 'held' && this.syncing === undefined) {
      void this.requestSync().catch(() => undefined);
    }
  }

  private show(message: Message, via: 'push' | 'sync'): void {
    this.ackSoon(message.conversationId);
    this.emit('message', message, { via });
  }

  /**
   * One sync at a time; a request during one runs another after it. Pushes wait while it runs and
   * are merged after, so a message is shown by whichever comes first and dropped by the other.
   */
  private requestSync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = (async () => {
      const book = this.book!;
      try {
        let rounds = 0;
        do {
          this.syncAgain = false;
          const before = JSON.stringify(book.snapshot());
          await this.syncPages(book);
          book.releaseAll();
          // A held push n means n-1 is committed (seq order is commit order): one more sync fetches it.
          if (book.hasGap() && (before !== JSON.stringify(book.snapshot()) || rounds === 0)) {
            this.syncAgain = true;
          }
          rounds++;
        } while (this.syncAgain && !this.closed);
      } catch (error) {
        this.emit('error', asError(error));
        this.later(() => void this.requestSync().catch(() => undefined), this.reconnectBackoff.next() + 100);
        throw error;
      } finally {
        this.syncing = undefined;
        book.releaseAll();
        this.persist(book);
      }
    })();
    this.syncing = run;
    return run;
  }

  private async syncPages(book: CursorBook): Promise<void> {
    const limit = this.options.syncLimit ?? 500;
    for (;;) {
      const cursors = book.snapshot();
      const page = (await this.http.call<{ messages: Message[]; hasMore: boolean }>(
        'POST', `${this.syncBase}/v1/sync`, { cursors, limit })).body;
      for (const message of page.messages) {
        book.offer(message, 'sync');
      }
      this.persist(book);
      if (!page.hasMore || JSON.stringify(cursors) === JSON.stringify(book.snapshot())) {
        return;
      }
    }
  }

  private ackSoon(conversationId: string): void {
    if (this.pendingAcks.size === 0) {
      queueMicrotask(() => this.flushAcks());
    }
    this.pendingAcks.add(conversationId);
  }

  /** Cumulative acks: one per conversation for everything shown up to its cursor. */
  private flushAcks(): void {
    const book = this.book;
    const socket = this.socket;
    if (book) this.persist(book);
    for (const conversationId of this.pendingAcks) {
      if (book && socket && this.ready) {
        this.write(socket, { type: 'ack', conversationId, seq: book.cursor(conversationId) });
      }
    }
    this.pendingAcks.clear();
  }

  private persist(book: CursorBook): void {
    try {
      void Promise.resolve(this.store.save(book.snapshot())).catch((e) => this.emit('error', asError(e)));
    } catch (e) {
      this.emit('error', asError(e));
    }
  }

  private write(socket: WebSocketLike, frame: object): void {
    if (socket.readyState === OPEN) {
      socket.send(JSON.stringify(frame));
    }
  }

  /** Resolves while connected, or at once when connect() was never called (HTTP-only use). */
  private online(): Promise<void> {
    if (!this.started || this.current === 'connected' || this.closed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.onlineWaiters.push(resolve));
  }

  private setState(change: StateChange): void {
    this.current = change.state;
    this.emit('state', change);
  }

  private later(task: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function trimEnd(url: string, suffix: string): string {
  let result = url.replace(/\/+$/, '');
  if (suffix && result.endsWith(suffix)) {
    result = result.slice(0, -suffix.length);
  }
  return result;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** 128 random bits as hex: unique enough that two sends never share a key by accident. */
function newKey(): string {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (crypto?.randomUUID) {
    return crypto.randomUUID();
  }
  return Array.from({ length: 4 }, () => Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

export { sleep };
