export { ConfigError } from './config-error.js';
export { sampleConfig } from './sample-config.js';
export type { SampleConfig } from './sample-config.js';
