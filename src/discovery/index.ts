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
