import type { AnalyticsEvent } from '../sdk/index.js';
import type { DeliveryStore } from '../store/index.js';

/**
 * Recently published events kept in memory so that delivering them does not read and parse them back from the
 * database; older ones (after a restart, or a long outage) are read from the store.
 */
export class EventCache {
  private readonly events = new Map<string, AnalyticsEvent>();
  private readonly waiting = new Map<string, Set<string>>();
  private readonly serialised = new Map<string, string>();

  constructor(
    private readonly store: DeliveryStore,
    private readonly capacity = 10_000,
  ) {}

  remember(event: AnalyticsEvent, outputs: readonly string[], json?: string): void {
    this.events.set(event.id, event);
    if (json !== undefined) this.serialised.set(event.id, json);
    this.waiting.set(event.id, new Set(outputs));
    if (this.events.size > this.capacity) {
      const oldest = this.events.keys().next().value!;
      this.events.delete(oldest);
      this.waiting.delete(oldest);
      this.serialised.delete(oldest);
    }
  }

  get(id: string): AnalyticsEvent | undefined {
    return this.events.get(id) ?? this.store.getEvent(id);
  }

  /** The event's JSON as published (computed once per event and kept while outputs still need it). */
  json(event: AnalyticsEvent): string {
    let json = this.serialised.get(event.id);
    if (json === undefined) {
      json = JSON.stringify(event);
      if (this.events.has(event.id)) this.serialised.set(event.id, json);
    }
    return json;
  }

  /** Not needed by `output` any more; dropped from memory once no output needs it. */
  release(id: string, output: string): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    waiting.delete(output);
    if (waiting.size === 0) {
      this.waiting.delete(id);
      this.events.delete(id);
      this.serialised.delete(id);
    }
  }
}
