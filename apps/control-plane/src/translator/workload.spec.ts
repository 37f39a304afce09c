import { workloadV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { MeshModel } from '@ambit/mesh-model';
import { workloadAddress } from './workload.js';

function workload(yaml: string, uid: string, settings = {}): workloadV1.Workload {
  const model = new MeshModel(settings);
  model.apply({ upserted: yamlResources(yaml) });
  const address = workloadAddress(model.workload(uid)!, model.settings);
  if (address.type !== 'workload') throw new Error('not a workload');
  return address.workload;
}

const WE = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm, namespace: a}\nspec: {address: 10.0.0.9, network: dc}\n';

describe('workloadAddress', () => {
  it('carries the identity, cluster and network of the mesh settings', () => {
    const w = workload(WE, 'c1/networking.istio.io/WorkloadEntry/a/vm', { clusterId: 'c1', trustDomain: 'example.org', network: 'mesh-net' });
    expect(w).toMatchObject({ uid: 'c1/networking.istio.io/WorkloadEntry/a/vm', clusterId: 'c1', trustDomain: 'example.org', serviceAccount: 'default', network: 'dc' });
  });

  it('references a waypoint by address when the Gateway status gives an IP', () => {
    const yaml =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {istio.io/use-waypoint: wp}}\n---\n' +
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: wp, namespace: a, labels: {istio.io/waypoint-for: workload}}\nspec:\n  gatewayClassName: istio-waypoint\n  listeners: [{name: mesh, port: 15008, protocol: HBONE}]\nstatus:\n  addresses: [{type: IPAddress, value: 10.9.9.9}]\n---\n' +
      WE;
    expect(workload(yaml, 'Kubernetes/networking.istio.io/WorkloadEntry/a/vm', { network: 'n' }).waypoint).toEqual({
      destination: 'address',
      address: { network: 'n', address: Uint8Array.from([10, 9, 9, 9]) },
      hboneMtlsPort: 15008,
    });
  });
});
