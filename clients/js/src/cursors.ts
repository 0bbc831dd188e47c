import type { Message } from './types.js';

/**
 * The merge of live pushes and sync pages for one device: one cursor per conversation (the highest
 * seq shown), plus the pushes held back because an earlier seq is still missing.
 *
 * Invariant: a message is shown iff its seq is cursor + 1, and showing it sets cursor = seq. So per
 * conversation the application sees 1, 2, 3, … each exactly once, whatever arrives twice or early.
 */
export class CursorBook {
  private readonly cursors = new Map<string, number>();
  private readonly held = new Map<string, Map<number, Message>>();
  private heldCount = 0;

  constructor(
    initial: Record<string, number>,
    private readonly show: (message: Message, via: 'push' | 'sync') => void,
    /** Beyond this many held pushes, they are dropped: the next sync returns them anyway. */
    private readonly maxHeld = 10_000,
  ) {
    for (const [conversationId, seq] of Object.entries(initial)) {
      this.cursors.set(conversationId, seq);
    }
  }

  cursor(conversationId: string): number {
    return this.cursors.get(conversationId) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.cursors);
  }

  /**
   * Offers a message. Returns 'shown', 'duplicate' (seq ≤ cursor) or 'held' (seq > cursor + 1, or
   * {@code hold} asked to wait because a sync is in flight).
   */
  offer(message: Message, via: 'push' | 'sync', hold = false): 'shown' | 'duplicate' | 'held' {
    const cursor = this.cursor(message.conversationId);
    if (message.seq <= cursor) {
      return 'duplicate';
    }
    if (hold || message.seq > cursor + 1) {
      this.holdBack(message);
      return 'held';
    }
    this.cursors.set(message.conversationId, message.seq);
    this.show(message, via);
    this.release(message.conversationId);
    return 'shown';
  }

  /** Shows held pushes that have become next in line, in every conversation. */
  releaseAll(): void {
    for (const conversationId of [...this.held.keys()]) {
      this.release(conversationId);
    }
  }

  /** True while some conversation holds a push above a missing seq. */
  hasGap(): boolean {
    return this.heldCount > 0;
  }

  private holdBack(message: Message): void {
    let held = this.held.get(message.conversationId);
    if (!held) {
      held = new Map();
      this.held.set(message.conversationId, held);
    }
    if (!held.has(message.seq)) {
      if (this.heldCount >= this.maxHeld) {
        return;
      }
      held.set(message.seq, message);
      this.heldCount++;
    }
  }

  private release(conversationId: string): void {
    const held = this.held.get(conversationId);
    if (!held) {
      return;
    }
    let cursor = this.cursor(conversationId);
    for (const seq of [...held.keys()]) {
      if (seq <= cursor) {
        held.delete(seq);
        this.heldCount--;
      }
    }
    for (let next = held.get(cursor + 1); next; next = held.get(cursor + 1)) {
      held.delete(next.seq);
      this.heldCount--;
      cursor = next.seq;
      this.cursors.set(conversationId, cursor);
      this.show(next, 'push');
    }
    if (held.size === 0) {
      this.held.delete(conversationId);
    }
  }
}
