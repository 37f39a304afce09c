// L4 authorization as ztunnel enforces it: Authorization resources compiled into a
// policy store, and the allow/deny decision for an inbound connection.
export { AuthorizationEngine } from './engine/authorization-engine.js';
export type { Connection, DestinationWorkload } from './engine/connection.js';
export type { ActionName, Decision, DecisionReason, PolicyMatch } from './engine/decision.js';
export { PolicyStore } from './policy/policy-store.js';
export type { PolicyBucket, PolicyUpdate, PolicyUpdateResult, PolicyView } from './policy/policy-store.js';
export { compilePolicy } from './policy/compile-policy.js';
export type { CompiledPolicy } from './policy/compiled-policy.js';
export { InvalidPolicyError } from './errors.js';
