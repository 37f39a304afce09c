import { describe, expect, it } from 'vitest';
import { workload } from './__support__/resources.js';
import { InvalidResourceError, UpdateRejectedError } from './errors.js';
import { ProxyState } from './proxy-state.js';

// libs/workload-state tests the state itself; this checks that ztunnel's rejections carry ztunnel's codes.
describe('ProxyState', () => {
  it('rejects an update with ztunnel\'s errors, naming resource and field', () => {
    const state = new ProxyState();
    let error: unknown;
    try {
      state.applyAddresses({ upserted: [workload('bad', { overrides: { namespace: '' } })], removed: [] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UpdateRejectedError);
    expect((error as UpdateRejectedError).code).toBe('AMBIT_ERR_ZTUNNEL_UPDATE_REJECTED');
    expect((error as UpdateRejectedError).hint).toMatch(/ztunnel keeps its last good state/);
    const [problem] = (error as UpdateRejectedError).problems;
    expect(problem).toBeInstanceOf(InvalidResourceError);
    expect((problem as InvalidResourceError).code).toBe('AMBIT_ERR_ZTUNNEL_INVALID_RESOURCE');
    expect((error as Error).message).toMatch(/workload\.namespace: is required/);
    expect(state.view.workloads.size).toBe(0);
  });
});
