/**
 * Remembers values (WS-Security nonces) for a time, to refuse a second use. Bounded: beyond `maxEntries` the oldest
 * entries are forgotten first; expired entries are dropped as new ones arrive.
 */
export class NonceCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** Records `value`; false when it was already recorded and has not expired (a replay). */
  add(value: string): boolean {
    const now = this.now();
    this.evict(now);
    const expires = this.entries.get(value);
    if (expires !== undefined && expires > now) return false;
    this.entries.delete(value);
    this.entries.set(value, now + this.ttlMs);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [value, expires] of this.entries) {
      if (expires > now) break;
      this.entries.delete(value);
    }
  }
}
