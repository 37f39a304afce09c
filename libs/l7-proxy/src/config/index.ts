// The settings every L7 proxy shares (flags and AMBIT_* variables) and their parsers.
export { PROXY_CONFIG_DEFAULTS, PROXY_SETTING, readProxyConfig } from './proxy-config.js';
export type { ProxyConfig, ProxySettingName } from './proxy-config.js';
export { dialAddress, duration, ipAddress, listenAddress, network, nodeName, port, spiffeId, workloadUid } from './values.js';
