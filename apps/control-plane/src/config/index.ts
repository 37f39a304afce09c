// The control plane's configuration: flags and AMBIT_* environment variables, read once at start.
export { buildConfig, CONFIG_DEFAULTS } from './control-plane-config.js';
export type { ConfigInput, ControlPlaneConfig } from './control-plane-config.js';
export { ConfigError } from './errors.js';
export { envOf, flagOf, SETTING } from './names.js';
export type { SettingName } from './names.js';
export type { HostPort as ListenAddress } from '@ambit/process';
export type { ProviderKind } from './values.js';
