/**
 * Cached answers in this process: least recently used first out, bounded by entry count and by
 * total body bytes, each entry dropped once its TTL has passed.
 */
import type { CachedResponse } from './cached-response';

interface Slot {
  entry: CachedResponse;
  expiresAt: number;
  bytes: number;
}

export interface MemoryCacheStore {
  get(key: string, now?: number): CachedResponse | null;
  set(key: string, entry: CachedResponse, ttlSec: number, now?: number): void;
  readonly size: number;
  readonly bytes: number;
}

export function createMemoryCacheStore(maxEntries: number, maxBytes: number): MemoryCacheStore {
  const slots = new Map<string, Slot>();
  let bytes = 0;

  function remove(key: string): void {
    const slot = slots.get(key);
    if (!slot) return;
    bytes -= slot.bytes;
    slots.delete(key);
  }

  return {
    get size() {
      return slots.size;
    },
    get bytes() {
      return bytes;
    },
    get(key, now = Date.now()) {
      const slot = slots.get(key);
      if (!slot) return null;
      if (slot.expiresAt <= now) {
        remove(key);
        return null;
      }
      // Re-insert so Map order stays least-recently-used first.
      slots.delete(key);
      slots.set(key, slot);
      return slot.entry;
    },
    set(key, entry, ttlSec, now = Date.now()) {
      remove(key);
      const size = entry.body.length * 2 + 64; // UTF-16 in memory, plus the slot itself
      if (size > maxBytes || ttlSec <= 0) return;
      slots.set(key, { entry, expiresAt: now + ttlSec * 1000, bytes: size });
      bytes += size;
      while (slots.size > maxEntries || bytes > maxBytes) remove(slots.keys().next().value as string);
    },
  };
}
