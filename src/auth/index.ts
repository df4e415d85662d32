export { staticCredentials, type CredentialLookup, type UserCredential } from './credentials.js';
export { parseChallenges, parseDigestCredentials, authenticateHeaders, quote, type AuthChallenge } from './auth-params.js';
export { digestResponse, parseAlgorithm, DIGEST_ALGORITHMS, type DigestAlgorithm, type DigestInputs } from './digest-hash.js';
export { DigestServer, type DigestServerOptions, type DigestVerification, type DigestFailure, type DigestRequest } from './digest-server.js';
export { DigestClient, selectDigestChallenge, type DigestClientOptions } from './digest-client.js';
export { NonceCache } from './nonce-cache.js';
export {
  passwordDigest,
  createUsernameToken,
  usernameTokenHeader,
  readUsernameToken,
  type UsernameToken,
  type CreateUsernameTokenOptions,
  type ReceivedUsernameToken,
} from './username-token.js';
export {
  UsernameTokenVerifier,
  type UsernameTokenVerifierOptions,
  type UsernameTokenVerification,
  type UsernameTokenFailure,
} from './username-token-verifier.js';
