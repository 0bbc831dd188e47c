// Shared by the tests that run against the real stack (JsClientIT passes the URLs in the environment).
import WebSocket from 'ws';
import { RelayClient } from '../dist/index.js';

export const env = {
  ingest: process.env.RELAY_INGEST_URL,
  sync: process.env.RELAY_SYNC_URL,
  edge: process.env.RELAY_EDGE_URL,
  killableEdge: process.env.RELAY_KILLABLE_EDGE_URL,
  control: process.env.RELAY_CONTROL_URL,
};

/** Skip reason when the stack is not given (e.g. `npm test` on its own runs only the unit tests). */
export const stackMissing = env.ingest ? false : 'RELAY_INGEST_URL not set: run through JsClientIT (./relay test)';

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
export const user = (name) => `${name}-${run}`;

export async function devToken(userId) {
  const response = await fetch(`${env.ingest}/v1/dev/tokens`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`dev token for ${userId}: ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}

export function client(userId, options = {}) {
  const c = new RelayClient({
    ingestUrl: env.ingest, syncUrl: env.sync, edgeUrl: env.edge, device: 'node',
    token: () => devToken(userId), WebSocket,
    reconnect: { baseMs: 100, maxMs: 1000 }, sendRetry: { baseMs: 100, maxMs: 1000 },
    ...options,
  });
  c.shown = [];
  c.states = [];
  c.on('message', (m, d) => c.shown.push({ conversationId: m.conversationId, seq: m.seq, body: m.body, via: d.via }));
  c.on('state', (s) => c.states.push(s));
  c.on('error', (e) => console.log(`# ${userId} error: ${e.message}`));
  return c;
}

/** Polls observable state (no fixed sleeps): resolves when check() is truthy, fails after timeoutMs. */
export async function until(what, check, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks JsClientIT to act on its own edge node: kill (SIGKILL), stop (SIGTERM, drains), restart. */
export async function control(action) {
  const response = await fetch(`${env.control}/edge/${action}`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`control ${action}: ${response.status} ${await response.text()}`);
}

export function seqsIn(c, conversationId) {
  return c.shown.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
}

export const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
