/** Wire types of Relay's public API (API.md, v1). */

export type Qos = 'at-most-once' | 'at-least-once' | 'exactly-once';

/** A stored message, as sync, history and the stream carry it. */
export interface Message {
  messageId: string;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string;
  meta?: Record<string, unknown> | null;
  sentAt: string;
  qos: Qos;
}

export interface Conversation {
  conversationId: string;
  title: string;
  members: string[];
  lastSeq: number;
  createdAt: string;
}

export interface SendResult {
  messageId: string;
  conversationId: string;
  seq: number;
  senderId: string;
  sentAt: string;
  qos: Qos;
  /** True when the server answered 200 Idempotent-Replayed: an earlier attempt had stored it. */
  replayed?: boolean;
}

/** What an at-most-once send answers: nothing is stored, there is no seq. */
export interface SignalResult {
  conversationId: string;
  qos: 'at-most-once';
}

export interface InboxEntry {
  conversationId: string;
  title: string;
  lastSeq: number;
  deliveredSeq: number;
  readSeq: number;
  unread: number;
  lastMessage?: Message | null;
}

export interface Inbox {
  conversations: InboxEntry[];
  /** Pass to the next call for the next page; absent or null on the last page. */
  cursor?: string | null;
}

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

export interface Signal {
  type: 'signal';
  conversationId: string;
  senderId: string;
  body: string;
  meta?: Record<string, unknown> | null;
  sentAt: string;
}

export interface Receipt {
  type: 'receipt';
  conversationId: string;
  userId: string;
  readSeq: number;
}

export interface Membership {
  type: 'membership';
  conversationId: string;
  userId: string;
  change: 'added' | 'removed';
}

/** Server frames (API.md "Stream"). */
export type ServerFrame =
  | { type: 'hello'; connectionId: string; node: string; heartbeatSeconds: number }
  | { type: 'message'; message: Message }
  | Signal
  | Receipt
  | Membership
  | { type: 'resync'; conversationId?: string; reason: string }
  | { type: 'draining'; reconnectAfterMs: number }
  | { type: 'pong' }
  | { type: 'error'; code: string; detail: string };

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface StateChange {
  state: ConnectionState;
  /** WebSocket close code that caused 'disconnected' or 'closed', when there was one. */
  code?: number;
  reason?: string;
  /** For 'disconnected': when the next attempt starts. */
  retryInMs?: number;
}

/** How a message reached the application: a live push or a /v1/sync page. */
export interface Delivery {
  via: 'push' | 'sync';
}

/** An RFC 9457 problem the server answered, or a client-side failure. */
export class RelayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The slug at the end of the problem's `type` (API.md "Errors"), or 'network'. */
    readonly slug: string,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}
