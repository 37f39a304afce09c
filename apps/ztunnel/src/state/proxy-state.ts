import { WorkloadState } from '@ambit/workload-state';
import { ZTUNNEL_STATE_ERRORS } from './errors.js';

/**
 * ztunnel's state: the shared single writer of workloads, services and policies, its
 * rejections raised as ztunnel's errors (`AMBIT_ERR_ZTUNNEL_*`). Only the xDS adapter
 * holds it; everyone else reads `view`.
 */
export class ProxyState extends WorkloadState {
  constructor() {
    super(ZTUNNEL_STATE_ERRORS);
  }
}
