// The waypoint's configuration: flags and AMBIT_* environment variables, read once at start.
export { buildConfig, CONFIG_DEFAULTS } from './waypoint-config.js';
export type { ConfigInput, WaypointConfig } from './waypoint-config.js';
export { ConfigError } from './errors.js';
export { envOf, flagOf, SETTING } from './names.js';
export type { SettingName } from './names.js';
export type { HostPort } from '@ambit/process';
