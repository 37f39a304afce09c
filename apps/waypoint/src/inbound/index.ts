// HBONE inbound: CONNECTs to service VIPs, HTTP/1.1 or HTTP/2 served on each tunnel through the engine.
export { HboneInbound } from './hbone-inbound.js';
export type { HboneInboundOptions, HboneInboundTuning, InboundStats } from './hbone-inbound.js';
export { InboundListenError, TunnelRefusedError } from './errors.js';
export { TunnelHttp } from './tunnel-http.js';
export type { TunnelHttpOptions, TunnelInfo } from './tunnel-http.js';
export { tunnelTarget } from './tunnel-target.js';
export type { TunnelTarget } from './tunnel-target.js';
