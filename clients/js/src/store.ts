/**
 * Where a device keeps its cursors (one integer per conversation: the highest seq shown).
 * Cursors must survive a reload for "shown exactly once" to hold across restarts of the app.
 */
export interface CursorStore {
  load(): Record<string, number> | Promise<Record<string, number>>;
  save(cursors: Record<string, number>): void | Promise<void>;
}

/** Cursors in memory: lost with the process (the default in Node). */
export class MemoryCursorStore implements CursorStore {
  private cursors: Record<string, number> = {};

  load(): Record<string, number> {
    return { ...this.cursors };
  }

  save(cursors: Record<string, number>): void {
    this.cursors = { ...cursors };
  }
}

interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Cursors in the browser's localStorage under one key per user and device. */
export class LocalStorageCursorStore implements CursorStore {
  constructor(
    private readonly key: string,
    private readonly storage: KeyValueStorage = (globalThis as unknown as { localStorage: KeyValueStorage }).localStorage,
  ) {}

  load(): Record<string, number> {
    const text = this.storage.getItem(this.key);
    if (!text) {
      return {};
    }
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const cursors: Record<string, number> = {};
      for (const [conversationId, seq] of Object.entries(parsed)) {
        if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) {
          cursors[conversationId] = seq;
        }
      }
      return cursors;
    } catch {
      return {};
    }
  }

  save(cursors: Record<string, number>): void {
    this.storage.setItem(this.key, JSON.stringify(cursors));
  }
}

/** localStorage where there is one, memory otherwise. */
export function defaultCursorStore(key: string): CursorStore {
  const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  return storage ? new LocalStorageCursorStore(key, storage) : new MemoryCursorStore();
}
