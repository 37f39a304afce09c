// ztunnel's configuration: flags and AMBIT_* environment variables, read once at start.
export { buildConfig, CONFIG_DEFAULTS } from './ztunnel-config.js';
export type { ConfigInput, ZtunnelConfig } from './ztunnel-config.js';
export type { CaptureMode } from './values.js';
export { ConfigError } from './errors.js';
export { envOf, flagOf, SETTING } from './names.js';
export type { SettingName } from './names.js';
export type { HostPort } from '@ambit/process';
