// Unit tests of send retries with a scripted fetch: no server needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayClient } from '../dist/index.js';

class NoSocket {
  constructor() { throw new Error('not used'); }
}

function scripted(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, key: init.headers['Idempotency-Key'], body: init.body });
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return new Response(JSON.stringify(next.body ?? {}), { status: next.status, headers: next.headers ?? {} });
  };
  return { fetch, calls };
}

const stored = { messageId: 'm1', conversationId: 'c1', seq: 7, senderId: 'a', sentAt: 'now', qos: 'exactly-once' };

test('503, 429 and 409 with Retry-After and a network error are retried with the same Idempotency-Key', async () => {
  const { fetch, calls } = scripted([
    { status: 503, headers: { 'Retry-After': '0' }, body: { type: 'https://relay.dev/problems/unavailable' } },
    { status: 429, headers: { 'Retry-After': '0' }, body: { type: 'https://relay.dev/problems/rate-limited' } },
    new TypeError('connection reset'),
    { status: 409, headers: { 'Retry-After': '0' }, body: { type: 'https://relay.dev/problems/request-in-progress' } },
    { status: 200, headers: { 'Idempotent-Replayed': 'true' }, body: stored },
  ]);
  const client = new RelayClient({ ingestUrl: 'http://i', syncUrl: 'http://s', edgeUrl: 'ws://e', token: 'x.e30.y',
    WebSocket: NoSocket, fetch, sendRetry: { baseMs: 1, maxMs: 2 } });
  const result = await client.send('c1', 'hi');
  assert.equal(calls.length, 5);
  assert.equal(new Set(calls.map((c) => c.key)).size, 1, 'one key across every retry');
  assert.ok(calls[0].key);
  assert.equal(result.seq, 7);
  assert.equal(result.replayed, true);
});

test('a client mistake is not retried, and later sends still go out in order', async () => {
  const { fetch, calls } = scripted([
    { status: 413, body: { type: 'https://relay.dev/problems/payload-too-large' } },
    { status: 201, body: { ...stored, seq: 8 } },
  ]);
  const client = new RelayClient({ ingestUrl: 'http://i', syncUrl: 'http://s', edgeUrl: 'ws://e', token: 'x.e30.y',
    WebSocket: NoSocket, fetch });
  const [tooBig, fine] = await Promise.allSettled([client.send('c1', 'x'.repeat(10)), client.send('c1', 'ok')]);
  assert.equal(tooBig.status, 'rejected');
  assert.equal(tooBig.reason.slug, 'payload-too-large');
  assert.equal(fine.value.seq, 8);
  assert.deepEqual(calls.map((c) => JSON.parse(c.body).body), ['x'.repeat(10), 'ok']);
});
