// Test fixtures for the proxies' specs (`@ambit/l7-proxy/testing`): wire resources with the defaults a proto decoder gives.
export { cluster, routeTable, serviceAddress, upsert, workloadAddress } from './resources.js';
