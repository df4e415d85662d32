import type { AnalyticsEvent } from './analytics-event.js';

/** What `EventSink.publish` returns once the event is durable. */
export interface PublishReceipt {
  eventId: string;
  /** Names of the outputs the event was queued for (those whose eventTypes and cameras match). */
  outputs: string[];
  /** True when an event with this id had already been published: nothing was queued again. */
  duplicate: boolean;
}

/**
 * Where the rules stage hands its events. `publish` resolves only once the event is written to the state
 * database and queued for every matching output: from then on it survives a crash (kill -9 included) and will be
 * delivered. Publishing the same event id twice is harmless.
 */
export interface EventSink {
  publish(event: AnalyticsEvent): Promise<PublishReceipt>;
}
