// How the engine reaches endpoints: Cluster endpoints from the Address state, HBONE tunnels to their ztunnels.
export { HBONE_PORT, HboneUpstream } from './hbone-upstream.js';
export { StateEndpoints } from './state-endpoints.js';
export type { StateEndpointsOptions } from './state-endpoints.js';
export { UpstreamClosedError } from './errors.js';
