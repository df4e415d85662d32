import { randomUUID } from 'node:crypto';
import { isVigieError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { NotificationMessage } from './event-messages.js';
import { receiverFault, senderFault } from './faults.js';
import { topicMatches, type TopicPattern } from './topic-filter.js';

export type SubscriptionKind = 'pull' | 'push';

export interface Subscription {
  readonly id: string;
  readonly kind: SubscriptionKind;
  readonly filter: TopicPattern[] | undefined;
  /** Where a push subscription sends Notify. */
  readonly consumer: string | undefined;
  terminationTime: number;
  /** Lifetime asked for at creation, applied again by each pull. */
  readonly lifetimeMs: number;
  /** Subscription and producer addresses, written into each Notify of a push subscription. */
  references: { subscription: string; producer: string } | undefined;
  queue: NotificationMessage[];
  waiter: (() => void) | undefined;
  sending: boolean;
}

export interface SubscriptionManagerOptions {
  logger: Logger;
  maxPullPoints: number;
  maxPushSubscriptions: number;
  now?: () => number;
  /** The Initialized messages of the current state (new subscribers, SetSynchronizationPoint). */
  currentState(): NotificationMessage[];
  /** Sends a batch to a push subscriber (rejects when the consumer did not take it). */
  notify(subscription: Subscription, messages: NotificationMessage[]): Promise<void>;
  /** Messages kept per subscription before the oldest are dropped (a client that stopped pulling). @defaultValue 1000 */
  maxQueue?: number;
}

/**
 * Event subscriptions of the ONVIF event service: pull points (CreatePullPointSubscription → PullMessages long
 * polls) and base-notification push subscriptions (Subscribe → Notify to the consumer). Each has a topic filter and
 * a termination time; expired ones are removed by a sweep every second once `start` was called.
 */
export class SubscriptionManager {
  private readonly subscriptions = new Map<string, Subscription>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SubscriptionManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.sweeper ??= setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const s of this.subscriptions.values()) s.waiter?.();
    this.subscriptions.clear();
  }

  count(kind: SubscriptionKind): number {
    return [...this.subscriptions.values()].filter((s) => s.kind === kind).length;
  }

  create(
    kind: SubscriptionKind,
    options: { filter: TopicPattern[] | undefined; terminationTime: number; consumer?: string; references?: (id: string) => { subscription: string; producer: string } },
  ): Subscription {
    const limit = kind === 'pull' ? this.options.maxPullPoints : this.options.maxPushSubscriptions;
    this.sweep();
    if (this.count(kind) >= limit) {
      throw receiverFault(
        `${limit} ${kind === 'pull' ? 'pull points' : 'push subscriptions'} are already open: unsubscribe one, or let one expire (device.${kind === 'pull' ? 'maxPullPoints' : 'maxPushSubscriptions'})`,
        'Action',
        'TooManySubscriptions',
      );
    }
    const now = this.now();
    const id = randomUUID();
    const subscription: Subscription = {
      id,
      kind,
      filter: options.filter,
      consumer: options.consumer,
      terminationTime: options.terminationTime,
      lifetimeMs: options.terminationTime - now,
      references: options.references?.(id),
      queue: [],
      waiter: undefined,
      sending: false,
    };
    this.subscriptions.set(subscription.id, subscription);
    this.options.logger.info({ subscription: subscription.id, kind, consumer: options.consumer, until: new Date(options.terminationTime).toISOString() }, 'ONVIF event subscription created');
    this.enqueue(subscription, this.options.currentState());
    return subscription;
  }

  get(id: string | undefined): Subscription {
    this.sweep();
    const found = id === undefined ? undefined : this.subscriptions.get(id);
    if (!found) throw senderFault(`the subscription "${id ?? ''}" does not exist (it expired or was unsubscribed): create a new one`, 'InvalidArgVal', 'ResourceUnknown');
    return found;
  }

  /** Hands a new message to every subscription whose filter selects its topic. */
  publish(message: NotificationMessage): void {
    for (const s of this.subscriptions.values()) this.enqueue(s, [message]);
  }

  /** SetSynchronizationPoint: the current state again, as Initialized messages. */
  synchronize(id: string): void {
    this.enqueue(this.get(id), this.options.currentState());
  }

  renew(id: string, terminationTime: number): Subscription {
    const s = this.get(id);
    s.terminationTime = terminationTime;
    return s;
  }

  unsubscribe(id: string): void {
    const s = this.get(id);
    this.subscriptions.delete(id);
    s.waiter?.();
    this.options.logger.info({ subscription: id, kind: s.kind }, 'ONVIF event subscription ended');
  }

  /**
   * PullMessages: returns queued messages at once (up to `limit`), else waits for one until `timeoutMs` or until
   * `aborted` fires (the client went away: nothing is taken from the queue then). A second pull while one waits is
   * refused. Each pull moves the termination time to now plus the subscription's lifetime, if that is later.
   */
  async pull(id: string, timeoutMs: number, limit: number, aborted: (cancel: () => void) => () => void): Promise<{ messages: NotificationMessage[]; subscription: Subscription }> {
    const s = this.get(id);
    if (s.kind !== 'pull') throw senderFault('this subscription delivers by Notify (push), not by PullMessages', 'InvalidArgVal');
    if (s.waiter) throw receiverFault('another PullMessages call is already waiting on this pull point', 'Action', 'UnableToGetMessages');
    this.extend(s);
    if (s.queue.length === 0 && timeoutMs > 0) {
      let cancelled = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), timeoutMs);
        const detach = aborted(() => {
          cancelled = true;
          done();
        });
        function done(): void {
          clearTimeout(timer);
          detach();
          resolve();
        }
        s.waiter = done;
      });
      s.waiter = undefined;
      if (cancelled || !this.subscriptions.has(s.id)) return { messages: [], subscription: s };
    }
    this.extend(s);
    return { messages: s.queue.splice(0, Math.max(1, limit)), subscription: s };
  }

  private extend(s: Subscription): void {
    s.terminationTime = Math.max(s.terminationTime, this.now() + s.lifetimeMs);
  }

  private enqueue(s: Subscription, messages: NotificationMessage[]): void {
    const selected = messages.filter((m) => topicMatches(s.filter, m.topic.topic));
    if (selected.length === 0) return;
    s.queue.push(...selected);
    const max = this.options.maxQueue ?? 1000;
    if (s.queue.length > max) {
      const dropped = s.queue.splice(0, s.queue.length - max);
      this.options.logger.warn({ subscription: s.id, dropped: dropped.length }, 'ONVIF subscriber does not keep up: oldest event messages dropped');
    }
    if (s.kind === 'pull') s.waiter?.();
    else setImmediate(() => void this.flush(s));
  }

  private async flush(s: Subscription): Promise<void> {
    if (s.sending) return;
    s.sending = true;
    try {
      while (s.queue.length > 0 && this.subscriptions.has(s.id)) {
        const batch = s.queue.splice(0, 20);
        try {
          await this.options.notify(s, batch);
        } catch (error) {
          this.options.logger.warn({ err: error, subscription: s.id, messages: batch.length, hint: isVigieError(error) ? error.hint : undefined }, 'ONVIF Notify failed: messages dropped');
        }
      }
    } finally {
      s.sending = false;
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.subscriptions) {
      if (s.terminationTime > now || s.waiter) continue;
      this.subscriptions.delete(id);
      this.options.logger.info({ subscription: id, kind: s.kind }, 'ONVIF event subscription expired');
    }
  }
}

