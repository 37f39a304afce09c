// Local mode's per-workload listeners: the set that follows the workloads on this node, and the TCP listener shape they share.
export { LocalListeners } from './local-listeners.js';
export type { LocalListenersOptions, LocalListenerStatus } from './local-listeners.js';
export type { LocalAddress, LocalListener, LocalListenerKind } from './local-listener.js';
export { TcpListener } from './tcp-listener.js';
export type { TcpListenerOptions } from './tcp-listener.js';
