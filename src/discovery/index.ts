export { WSD } from './constants.js';
export {
  buildProbe,
  buildProbeMatches,
  buildHello,
  buildBye,
  newMessageId,
  ONVIF_TYPES,
  type DiscoveryTarget,
  type AppSequence,
} from './messages.js';
export { parseDiscoveryMessage, type DiscoveryMessage, type DiscoveredEndpoint } from './parse.js';
export { typesMatch, scopesMatch, probeMatches } from './match.js';
export { DiscoveryResponder, type DiscoveryResponderOptions } from './responder.js';
export { listIPv4Interfaces, resolveInterfaces, ipv4ToNumber, onSubnet, type LocalInterface } from './network-interfaces.js';
export { expandTargets, expandCidr, MAX_TARGET_HOSTS, type UnicastTarget } from './probe-targets.js';
export { chooseXAddr, isUnusableHost, type XAddrChoice } from './xaddr.js';
export { summarizeScopes, type ScopeSummary } from './scopes.js';
export { classifyDatagram, emptyStats, ignoredTotal, describeIgnored, IGNORED_REASONS, type DatagramStats, type IgnoredReason } from './datagrams.js';
export { toDiscoveredDevice, isOnvifDevice, mergeSighting, type DiscoveredDevice } from './discovered-device.js';
export { retransmitSchedule, SOAP_UDP } from './probe-schedule.js';
export { probeNetwork, type ProbeNetworkOptions, type ProbeNetworkResult } from './prober.js';
export { DiscoveryMonitor, type DiscoveryMonitorOptions, type DiscoveryMonitorEvents } from './monitor.js';
