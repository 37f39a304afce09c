import { describe, expect, it } from 'vitest';
import { service, workload } from '../state/__support__/resources.js';
import { ProxyState } from '../state/index.js';
import { inboundService, localWorkload, servedPorts } from './destination.js';

const WEB = 'demo/web.demo.svc.cluster.local';
const ADMIN = 'demo/admin.demo.svc.cluster.local';

function state() {
  const proxy = new ProxyState();
  proxy.applyAddresses({
    upserted: [
      service('web', { namespace: 'demo', ports: [[80, 8080]] }),
      // A named target port (0): only the workload knows it.
      service('admin', { namespace: 'demo', ports: [[9000, 0]] }),
      workload('single', { ip: '10.0.0.1', namespace: 'demo', services: { [WEB]: [[80, 8080]] } }),
      workload('named', { ip: '10.0.0.2', namespace: 'demo', services: { [ADMIN]: [[9000, 9901]] } }),
      workload('several', { ip: '10.0.0.3', namespace: 'demo', services: { [WEB]: [[80, 8080]], [ADMIN]: [[9000, 9901]] } }),
      workload('none', { ip: '10.0.0.4', namespace: 'demo' }),
      workload('elsewhere', { ip: '10.0.0.5', namespace: 'demo', node: 'node-b' }),
    ],
    removed: [],
  });
  return proxy.view;
}

const uid = (name: string) => `Kubernetes//Pod/demo/${name}`;

describe('localWorkload', () => {
  it('finds a workload of this node by (network, address), and no other', () => {
    const view = state();
    expect(localWorkload(view.workloads, '', 'node-a', '10.0.0.1')?.uid).toBe(uid('single'));
    expect(localWorkload(view.workloads, '', 'node-a', '10.0.0.5')).toBeUndefined();
    expect(localWorkload(view.workloads, 'other-network', 'node-a', '10.0.0.1')).toBeUndefined();
    expect(localWorkload(view.workloads, '', 'node-a', '10.9.9.9')).toBeUndefined();
  });
});

describe('servedPorts', () => {
  it('lists the target ports a workload serves, named ones from the workload', () => {
    const view = state();
    const ports = (name: string) => servedPorts(view.workloads.byUid(uid(name))!, view.services);
    expect(ports('single')).toEqual([8080]);
    expect(ports('named')).toEqual([9901]);
    expect(ports('several')).toEqual([8080, 9901]);
    expect(ports('none')).toEqual([]);
  });
});

describe('inboundService', () => {
  it('guesses the service by target port, as ztunnel does for destination_service', () => {
    const view = state();
    const several = view.workloads.byUid(uid('several'))!;
    expect(inboundService(several, 8080, view.services)?.key).toBe(WEB);
    expect(inboundService(several, 9901, view.services)?.key).toBe(ADMIN);
    expect(inboundService(several, 1234, view.services)).toBeUndefined();
  });
});
