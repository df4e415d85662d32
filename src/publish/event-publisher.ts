import type { VigieConfig } from '../config/index.js';
import { DeliveryError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { EVENT_TYPE_INFO, type AnalyticsEvent, type EventSink, type PublishReceipt } from '../sdk/index.js';
import type { Store } from '../store/index.js';
import type { DeliveryMetrics } from './delivery-metrics.js';
import type { EventCache } from './event-cache.js';
import { analyticsEventSchema } from './event-schema.js';
import { outputTakes, type ResolvedOutput } from './resolve-outputs.js';

export interface EventPublisherOptions {
  store: Store;
  outputs: readonly ResolvedOutput[];
  mode: VigieConfig['rules']['mode'];
  cache: EventCache;
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** Called with the outputs that got new entries, to wake their dispatchers. */
  onQueued: (outputs: readonly string[]) => void;
  now?: () => number;
}

/**
 * The receiving side of delivery (what the rules stage calls): checks the event, writes it and one outbox entry
 * per matching output in a single transaction, and only then resolves. A crash after that loses nothing.
 */
export class EventPublisher implements EventSink {
  private readonly now: () => number;

  constructor(private readonly options: EventPublisherOptions) {
    this.now = options.now ?? Date.now;
  }

  publish(event: AnalyticsEvent): Promise<PublishReceipt> {
    // the executor's exceptions become the rejection
    return new Promise((resolve) => resolve(this.publishNow(event)));
  }

  private publishNow(event: AnalyticsEvent): PublishReceipt {
    const checked = analyticsEventSchema.safeParse(event);
    if (!checked.success) {
      const problems = checked.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
      throw new DeliveryError(`event ${typeof event?.id === 'string' ? event.id : '(no id)'} is malformed and was not queued: ${problems}`, {
        hint: 'events must follow the AnalyticsEvent type of src/sdk; this is a bug in the stage that produced it',
      });
    }
    const { store, outputs, mode } = this.options;
    if (mode === 'fr-vsa' && EVENT_TYPE_INFO[event.type].frCode === undefined) {
      store.audit.append({ actor: 'system', action: 'event.suppressed_out_of_scope', object: event.id, details: { type: event.type, camera: event.cameraId } });
      throw new DeliveryError(`event ${event.id} of type ${event.type} is not one of the eight events of décret 2023-828: not delivered in fr-vsa mode`, {
        hint: 'in fr-vsa mode only the authorised event types may leave Vigie; disable the rule that raised it',
      });
    }
    const targets = outputs.filter((o) => outputTakes(o, event)).map((o) => o.name);
    const recorded = store.delivery.recordEvent(event, targets, this.now());
    this.options.metrics?.published.inc({ duplicate: recorded ? 'no' : 'yes' });
    if (!recorded) {
      this.options.logger.debug({ event: event.id }, 'event already published: ignored');
      return { eventId: event.id, outputs: targets, duplicate: true };
    }
    if (targets.length > 0) {
      this.options.cache.remember(event, targets);
      this.options.onQueued(targets);
    }
    return { eventId: event.id, outputs: targets, duplicate: false };
  }
}
