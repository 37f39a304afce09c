// Who is calling the control plane (xDS and CA), and which identities it may obtain.
export type { Caller, CallerAuthenticator, CallerProof } from './caller.js';
export { CallerAuthentication, describeCaller } from './authenticate-call.js';
export type { CallCredentials, CallerAuthenticationOptions } from './authenticate-call.js';
export { callerFromCertificate } from './certificate-caller.js';
export { BootstrapTokens, generateNodeToken, MIN_NODE_TOKEN_LENGTH, parseNodeTokens } from './bootstrap-tokens.js';
export type { NodeToken } from './bootstrap-tokens.js';
export { authorizeIdentity } from './node-authorization.js';
export type { WorkloadPlacement } from './node-authorization.js';
export { IdentityNotAllowedError, NodeClaimError, NodeTokensFileError, ProxyIdentityError, UnauthenticatedCallerError } from './errors.js';
export { DEFAULT_TOKEN_AUDIENCES, NODE_NAME_EXTRA, TokenReviewAuthenticator } from './token-review.js';
export type { TokenReviewAuthenticatorOptions } from './token-review.js';
export { TokenReviewUnavailableError } from './token-review-errors.js';
