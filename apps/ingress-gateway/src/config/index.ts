// The gateway's configuration: flags and AMBIT_* environment variables, read once at start.
export { buildConfig, CONFIG_DEFAULTS, listenPort, UNPRIVILEGED_PORT_OFFSET } from './gateway-config.js';
export type { ConfigInput, GatewayConfig } from './gateway-config.js';
export { ConfigError } from './errors.js';
export { envOf, flagOf, SETTING } from './names.js';
export type { SettingName } from './names.js';
