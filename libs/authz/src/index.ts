// Authorization as ztunnel (L4) and waypoints (L7) enforce it: Authorization resources
// compiled into one policy store, and the allow/deny decision for an inbound connection
// (`decide`) or an HTTP request at a waypoint (`decideHttp`).
export { AuthorizationEngine } from './engine/authorization-engine.js';
export type { Connection, DestinationWorkload } from './engine/connection.js';
export type { HttpRequest, RequestHeaders, VerifiedJwt } from './engine/request.js';
export type { ActionName, Decision, DecisionReason, PolicyMatch } from './engine/decision.js';
export { PolicyStore } from './policy/policy-store.js';
export type { PolicyBucket, PolicyUpdate, PolicyUpdateResult, PolicyView } from './policy/policy-store.js';
export { compilePolicy } from './policy/compile-policy.js';
export type { CompiledPolicy } from './policy/compiled-policy.js';
export { InvalidPolicyError } from './errors.js';
