import { workloadV1 } from '@ambit/xds';
import { describe, expect, it } from 'vitest';
import { yamlResources } from '@ambit/config-model/testing';
import { MeshModel } from '@ambit/mesh-model';
import { serviceAddress } from './service.js';

function service(spec: string, settings = {}): workloadV1.Service {
  const model = new MeshModel(settings);
  model.apply({ upserted: yamlResources(`apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: ${spec}\n`) });
  const address = serviceAddress(model.service('a/s.a.svc.cluster.local')!, model.settings);
  if (address.type !== 'service') throw new Error('not a service');
  return address.service;
}

const { Scope, Mode } = { Scope: workloadV1.LoadBalancing_Scope, Mode: workloadV1.LoadBalancing_Mode };

describe('serviceAddress', () => {
  it("maps traffic distribution to Istio's load balancing", () => {
    expect(service('{ports: [{port: 80}]}').loadBalancing).toBeNull();
    expect(service('{trafficDistribution: PreferSameZone, ports: [{port: 80}]}').loadBalancing).toEqual({ routingPreference: [Scope.NETWORK, Scope.REGION, Scope.ZONE], mode: Mode.FAILOVER });
    expect(service('{trafficDistribution: PreferSameNode, ports: [{port: 80}]}').loadBalancing).toEqual({
      routingPreference: [Scope.NETWORK, Scope.REGION, Scope.ZONE, Scope.SUBZONE, Scope.NODE],
      mode: Mode.FAILOVER,
    });
    expect(service('{internalTrafficPolicy: Local, trafficDistribution: PreferClose, ports: [{port: 80}]}').loadBalancing).toEqual({ routingPreference: [Scope.NODE], mode: Mode.STRICT });
  });

  it('puts VIPs on the mesh network', () => {
    expect(service('{clusterIP: 10.0.0.1, ports: [{port: 80}]}', { network: 'net-1' }).addresses).toEqual([{ network: 'net-1', address: Uint8Array.from([10, 0, 0, 1]) }]);
  });
});
