import { NS, type SoapOperation, type SoapRequestContext, type XmlContent } from '../soap/index.js';
import { httpBase, serviceUrl, subscriptionPath, type DeviceContext } from './device-context.js';
import { parseDuration, parseTerminationTime, utc } from './durations.js';
import { topicSet } from './event-topics.js';
import { senderFault } from './faults.js';
import { CONCRETE_DIALECT, CONCRETE_SET_DIALECT, ITEM_FILTER_DIALECT, ONVIF_NS, tev, wsa, wsnt } from './namespaces.js';
import { notificationElement } from './event-messages.js';
import { parseTopicExpression, type TopicPattern } from './topic-filter.js';
import type { Subscription } from './subscriptions.js';
import type { XmlElement, XmlNamespace } from '../soap/index.js';

/** Attributes of tev:Capabilities. */
export function eventCapabilities(device: DeviceContext): Record<string, boolean | number> {
  return {
    WSSubscriptionPolicySupport: false,
    WSPausableSubscriptionManagerInterfaceSupport: false,
    MaxNotificationProducers: device.config.maxPushSubscriptions,
    MaxPullPoints: device.config.maxPullPoints,
    PersistentNotificationStorage: false,
  };
}

/** The subscription a call is addressed to: the last path segment of the URL (its EPR address), else wsa:To. */
function subscriptionId(device: DeviceContext, ctx: SoapRequestContext): string | undefined {
  const prefix = `${device.config.path}/subscription/`;
  const path = (ctx.request.url ?? '').split('?')[0] ?? '';
  if (path.startsWith(prefix)) return decodeURIComponent(path.slice(prefix.length));
  const to = ctx.message.header?.child(NS.wsa, 'To')?.text.trim();
  if (to) {
    const toPath = (() => {
      try {
        return new URL(to).pathname;
      } catch {
        return '';
      }
    })();
    if (toPath.startsWith(prefix)) return decodeURIComponent(toPath.slice(prefix.length));
  }
  return undefined;
}

/** The topic filter of a Filter element (wsnt:TopicExpression alternatives, all of them ORed); MessageContent filters are refused. */
function readFilter(filter: XmlElement | undefined): TopicPattern[] | undefined {
  if (!filter) return undefined;
  if (filter.child(ONVIF_NS.wsnt, 'MessageContent')) {
    throw senderFault(`message content filters (${ITEM_FILTER_DIALECT}) are not supported: filter by topic (TopicExpression) instead`, 'InvalidArgVal', 'InvalidMessageContentExpression');
  }
  const expressions = filter.childrenNamed(ONVIF_NS.wsnt, 'TopicExpression');
  if (expressions.length === 0) return undefined;
  return expressions.flatMap((e) => parseTopicExpression(e));
}

function times(device: DeviceContext, s: Subscription, order: 'current-first' | 'termination-first', ns: XmlNamespace): XmlContent {
  const current = ns('CurrentTime', utc(device.now()));
  const termination = ns('TerminationTime', utc(s.terminationTime));
  return order === 'current-first' ? [current, termination] : [termination, current];
}

/**
 * The ONVIF Event service: GetEventProperties (every topic Vigie emits), pull points (CreatePullPointSubscription,
 * PullMessages long polls, SetSynchronizationPoint, Renew, Unsubscribe) and base-notification Subscribe (push).
 */
export function eventOperations(device: DeviceContext): SoapOperation[] {
  const subs = device.subscriptions;
  const op = (uri: string, local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri, local, access, handle });
  const termination = (text: string | undefined, what: string): number =>
    text ? parseTerminationTime(text, device.now(), what) : device.now() + device.config.subscriptionSeconds * 1000;
  const addressOf = (ctx: SoapRequestContext, s: Subscription) => `${httpBase(device, ctx)}${subscriptionPath(device.config, s.id)}`;
  const idOf = (ctx: SoapRequestContext): string => {
    const id = subscriptionId(device, ctx);
    if (!id) throw senderFault('this call goes to a subscription address (the SubscriptionReference of CreatePullPointSubscription or Subscribe)', 'InvalidArgVal');
    return id;
  };

  return [
    op(NS.tev, 'GetServiceCapabilities', 'PRE_AUTH', () => tev('GetServiceCapabilitiesResponse', tev('Capabilities', eventCapabilities(device)))),
    op(NS.tev, 'GetEventProperties', 'READ_MEDIA', () =>
      tev('GetEventPropertiesResponse', [
        tev('TopicNamespaceLocation', 'http://www.onvif.org/onvif/ver10/topics/topicns.xml'),
        wsnt('FixedTopicSet', true),
        topicSet(),
        wsnt('TopicExpressionDialect', CONCRETE_SET_DIALECT),
        wsnt('TopicExpressionDialect', CONCRETE_DIALECT),
        tev('MessageContentFilterDialect', ITEM_FILTER_DIALECT),
        tev('MessageContentSchemaLocation', 'http://www.onvif.org/onvif/ver10/schema/onvif.xsd'),
      ]),
    ),
    op(NS.tev, 'CreatePullPointSubscription', 'READ_MEDIA', (ctx) => {
      const filter = readFilter(ctx.operation.child(NS.tev, 'Filter'));
      const s = subs.create('pull', { filter, terminationTime: termination(ctx.operation.childText(NS.tev, 'InitialTerminationTime'), 'InitialTerminationTime') });
      return tev('CreatePullPointSubscriptionResponse', [tev('SubscriptionReference', wsa('Address', addressOf(ctx, s))), times(device, s, 'current-first', wsnt)]);
    }),
    op(ONVIF_NS.wsnt, 'Subscribe', 'READ_MEDIA', (ctx) => {
      const consumer = ctx.operation.find([ONVIF_NS.wsnt, 'ConsumerReference'], [NS.wsa, 'Address'])?.text.trim() ?? '';
      let url: URL;
      try {
        url = new URL(consumer);
      } catch {
        throw senderFault(`ConsumerReference address "${consumer}" is not a URL`, 'InvalidArgVal');
      }
      if (url.protocol !== 'http:') throw senderFault(`ConsumerReference address "${consumer}" is not an http:// URL`, 'InvalidArgVal');
      const filter = readFilter(ctx.operation.child(ONVIF_NS.wsnt, 'Filter'));
      const s = subs.create('push', { filter, consumer, references: (id) => ({ subscription: `${httpBase(device, ctx)}${subscriptionPath(device.config, id)}`, producer: serviceUrl(device, ctx, 'events') }), terminationTime: termination(ctx.operation.childText(ONVIF_NS.wsnt, 'InitialTerminationTime'), 'InitialTerminationTime') });
      return wsnt('SubscribeResponse', [wsnt('SubscriptionReference', wsa('Address', addressOf(ctx, s))), times(device, s, 'current-first', wsnt)]);
    }),
    op(NS.tev, 'PullMessages', 'READ_MEDIA', async (ctx) => {
      const id = idOf(ctx);
      const timeoutText = ctx.operation.childText(NS.tev, 'Timeout') ?? 'PT0S';
      const timeout = parseDuration(timeoutText);
      if (timeout === undefined || timeout < 0) throw senderFault(`Timeout "${timeoutText}" is not an xs:duration`, 'InvalidArgVal');
      const limit = Number(ctx.operation.childText(NS.tev, 'MessageLimit') ?? '100');
      if (!Number.isInteger(limit) || limit < 1) throw senderFault('MessageLimit must be a positive integer', 'InvalidArgVal');
      const socket = ctx.request.socket;
      const { messages, subscription } = await subs.pull(id, Math.min(timeout, device.config.maxPullTimeoutSeconds * 1000), Math.min(limit, 1000), (cancel) => {
        socket.once('close', cancel);
        return () => socket.off('close', cancel);
      });
      return tev('PullMessagesResponse', [
        tev('CurrentTime', utc(device.now())),
        tev('TerminationTime', utc(subscription.terminationTime)),
        messages.map((m) => notificationElement(m)),
      ]);
    }),
    op(NS.tev, 'SetSynchronizationPoint', 'READ_MEDIA', (ctx) => {
      subs.synchronize(idOf(ctx));
      return tev('SetSynchronizationPointResponse');
    }),
    op(ONVIF_NS.wsnt, 'Renew', 'READ_MEDIA', (ctx) => {
      const id = idOf(ctx);
      subs.get(id);
      const s = subs.renew(id, termination(ctx.operation.childText(ONVIF_NS.wsnt, 'TerminationTime'), 'TerminationTime'));
      return wsnt('RenewResponse', times(device, s, 'termination-first', wsnt));
    }),
    op(ONVIF_NS.wsnt, 'Unsubscribe', 'READ_MEDIA', (ctx) => {
      subs.unsubscribe(idOf(ctx));
      return wsnt('UnsubscribeResponse');
    }),
  ];
}

