// The sample echo app that `ambitctl local up` starts for pods annotated `sample.ambit.dev/app: echo`.
export { main } from './main.js';
export { ConfigError, sampleConfig } from './config/index.js';
export type { SampleConfig } from './config/index.js';
export { callerIdentity, DEFAULT_LIMITS, EchoServer, prefersText, renderReply } from './echo/index.js';
export type { EchoLimits, EchoReply, SampleIdentity } from './echo/index.js';
