// Canonical IP texts, as the shared state holds them.
export { canonicalIp, ipFromBytes, networkAddressKey } from '@ambit/workload-state';
