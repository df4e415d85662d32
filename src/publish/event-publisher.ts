import type { VigieConfig } from '../config/index.js';
import { DeliveryError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { EVENT_TYPE_INFO, type AnalyticsEvent, type EventSink, type PublishReceipt } from '../sdk/index.js';
import { eventRow, type DeliveryWriter, type EventRow, type Store } from '../store/index.js';
import type { DeliveryMetrics } from './delivery-metrics.js';
import type { EventCache } from './event-cache.js';
import { eventProblems } from './check-event.js';
import { outputTakes, type ResolvedOutput } from './resolve-outputs.js';

export interface EventPublisherOptions {
  store: Store;
  /** Where events are recorded (on a thread of its own, or this one). */
  writer: DeliveryWriter;
  outputs: readonly ResolvedOutput[];
  mode: VigieConfig['rules']['mode'];
  cache: EventCache;
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** Called with the outputs that got a new entry for `cameraId`, to wake their dispatchers. */
  onQueued: (outputs: readonly string[], cameraId: string) => void;
  now?: () => number;
}

interface Pending {
  event: AnalyticsEvent;
  row: EventRow;
  outputs: string[];
  resolve: (receipt: PublishReceipt) => void;
  reject: (error: Error) => void;
}

/**
 * The receiving side of delivery (what the rules stage calls): checks the event, writes it and one outbox entry
 * per matching output, and only then resolves. A crash after that loses nothing.
 *
 * Group commit: events published in the same synchronous run (the events of one analysed frame, say) are written
 * in one transaction, committed before any of their promises resolves (the writer may add more to that
 * transaction: whatever was asked of it while its previous commit ran).
 */
export class EventPublisher implements EventSink {
  private readonly now: () => number;
  private batch: Pending[] = [];

  constructor(private readonly options: EventPublisherOptions) {
    this.now = options.now ?? Date.now;
  }

  publish(event: AnalyticsEvent): Promise<PublishReceipt> {
    return new Promise((resolve, reject) => {
      const outputs = this.check(event); // throws: the promise rejects
      if (this.batch.length === 0) queueMicrotask(() => this.flush());
      this.batch.push({ event, row: eventRow(event, outputs), outputs, resolve, reject });
    });
  }

  private check(event: AnalyticsEvent): string[] {
    const problems = eventProblems(event);
    if (problems.length > 0) {
      throw new DeliveryError(`event ${typeof event?.id === 'string' ? event.id : '(no id)'} is malformed and was not queued: ${problems.join('; ')}`, {
        hint: 'events must follow the AnalyticsEvent type of src/sdk; this is a bug in the stage that produced it',
      });
    }
    if (this.options.mode === 'fr-vsa' && EVENT_TYPE_INFO[event.type].frCode === undefined) {
      this.options.store.audit.append({ actor: 'system', action: 'event.suppressed_out_of_scope', object: event.id, details: { type: event.type, camera: event.cameraId } });
      throw new DeliveryError(`event ${event.id} of type ${event.type} is not one of the eight events of décret 2023-828: not delivered in fr-vsa mode`, {
        hint: 'in fr-vsa mode only the authorised event types may leave Vigie; disable the rule that raised it',
      });
    }
    return this.options.outputs.filter((o) => outputTakes(o, event)).map((o) => o.name);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    this.options.writer.recordEvents(
      batch.map((p) => p.row),
      this.now(),
    ).then(
      (recorded) => this.settle(batch, recorded),
      (error: unknown) => {
        for (const p of batch) p.reject(error as Error);
      },
    );
  }

  private settle(batch: readonly Pending[], recorded: readonly boolean[]): void {
    batch.forEach((p, i) => {
      const fresh = recorded[i]!;
      this.options.metrics?.published.inc({ duplicate: fresh ? 'no' : 'yes' });
      if (!fresh) this.options.logger.debug({ event: p.event.id }, 'event already published: ignored');
      else if (p.outputs.length > 0) {
        this.options.cache.remember(p.event, p.outputs, p.row.body);
        this.options.onQueued(p.outputs, p.event.cameraId);
      }
      p.resolve({ eventId: p.event.id, outputs: p.outputs, duplicate: !fresh });
    });
  }
}
