// Unit tests: no server needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, CursorBook } from '../dist/index.js';

const msg = (conversationId, seq) => ({ messageId: `${conversationId}-${seq}`, conversationId, seq, senderId: 'x', body: `${seq}`, sentAt: '', qos: 'exactly-once' });

test('cursor book shows each seq once and in order whatever arrives twice or early', () => {
  const shown = [];
  const book = new CursorBook({}, (m, via) => shown.push(`${m.conversationId}:${m.seq}:${via}`));
  assert.equal(book.offer(msg('c', 1), 'push'), 'shown');
  assert.equal(book.offer(msg('c', 1), 'push'), 'duplicate');
  assert.equal(book.offer(msg('c', 3), 'push'), 'held');
  assert.equal(book.offer(msg('c', 4), 'push'), 'held');
  assert.ok(book.hasGap());
  assert.equal(book.offer(msg('c', 2), 'sync'), 'shown');
  assert.ok(!book.hasGap());
  assert.equal(book.offer(msg('c', 3), 'sync'), 'duplicate');
  assert.deepEqual(shown, ['c:1:push', 'c:2:sync', 'c:3:push', 'c:4:push']);
  assert.deepEqual(book.snapshot(), { c: 4 });
});

test('cursor book starts from stored cursors and holds pushes while asked to', () => {
  const shown = [];
  const book = new CursorBook({ c: 5 }, (m) => shown.push(m.seq));
  assert.equal(book.offer(msg('c', 5), 'push'), 'duplicate');
  assert.equal(book.offer(msg('c', 6), 'push', true), 'held');
  assert.deepEqual(shown, []);
  book.releaseAll();
  assert.deepEqual(shown, [6]);
});

test('full-jitter back-off stays within its doubling ceiling and the cap, and resets', () => {
  const highest = new Backoff(100, 1000, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => highest.next()), [99, 199, 399, 799, 999, 999]);
  highest.reset();
  assert.equal(highest.next(), 99);
  const lowest = new Backoff(100, 1000, () => 0);
  assert.equal(lowest.next(), 0);
});
