export { callerIdentity } from './caller-identity.js';
export { prefersText, renderReply } from './echo-reply.js';
export type { EchoReply, SampleIdentity } from './echo-reply.js';
export { DEFAULT_LIMITS, EchoServer } from './echo-server.js';
export type { EchoLimits } from './echo-server.js';
