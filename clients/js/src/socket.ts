/** The part of the WHATWG WebSocket the client uses; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export const OPEN = 1;

/** Close codes of API.md "Stream". */
export const CloseCode = {
  GOING_AWAY: 1001,
  TOKEN_EXPIRED: 4001,
  BAD_FRAMES: 4008,
  TOO_SLOW: 4009,
  REPLACED: 4010,
  /** Sent by this client when the server fell silent for two heartbeats. */
  SILENT: 4000,
} as const;
