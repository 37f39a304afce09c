// SOCKS5 (RFC 1928 CONNECT) entries into the outbound path: local mode's one per local workload address.
export { socks5Entries } from './local-entries.js';
export type { Socks5EntriesOptions } from './local-entries.js';
// Transitional, until ztunnel.ts builds one LocalListeners with every kind.
export { Socks5Server } from './socks5-server.js';
export type { Socks5Context, Socks5Outcome, Socks5ServerOptions } from './socks5-server.js';
export { Socks5HandshakeError, Socks5ListenError } from './errors.js';
export { registerSocks5Metrics } from './metrics.js';
export { Reply } from './protocol.js';
export type { ReplyCode } from './protocol.js';
