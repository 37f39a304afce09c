// The gateway's front: a port per Gateway server port, HTTP or HTTPS, kept in line with the Listeners.
export { GatewayListeners } from './gateway-listeners.js';
export type { GatewayListenersOptions } from './gateway-listeners.js';
export { GatewayListenError } from './errors.js';
export { hostOf, planPorts, serverFor } from './port-plan.js';
export type { PlannedServer, PortPlan, SkippedServer } from './port-plan.js';
export type { PortStatus } from './port-server.js';
