import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { L7_MESH, l7MeshYaml } from './l7-mesh-config.js';
import { MESH_ADDRESSES } from './local-mesh.js';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  status?: { podIP?: string; phase?: string };
}

const CREDENTIAL = { certPem: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', keyPem: '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n' };
const docs = (): Doc[] =>
  Object.values(l7MeshYaml(9080, CREDENTIAL)).flatMap((text) =>
    parseAllDocuments(text).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as Doc;
    }),
  );
const find = (kind: string, name: string): Doc => docs().find((doc) => doc.kind === kind && doc.metadata.name === name)!;

describe('l7MeshYaml', () => {
  it('declares a gateway pod that the Gateways select, with its TLS Secret in its own namespace', () => {
    const pod = find('Pod', L7_MESH.gatewayPod);
    expect(pod.metadata).toMatchObject({ namespace: L7_MESH.gatewayNamespace, labels: { istio: 'ingressgateway' } });
    expect(pod.status).toMatchObject({ podIP: MESH_ADDRESSES.gateway, phase: 'Running' });
    const secret = find('Secret', L7_MESH.credentialName);
    expect(secret.metadata.namespace).toBe(L7_MESH.gatewayNamespace);
    expect(Buffer.from(secret.data!['tls.crt']!, 'base64').toString()).toBe(CREDENTIAL.certPem);
    expect(Buffer.from(secret.data!['tls.key']!, 'base64').toString()).toBe(CREDENTIAL.keyPem);
    const servers = (find('Gateway', 'bench-gateway').spec as { servers: { port: { number: number; protocol: string }; tls?: { mode: string; credentialName: string } }[] }).servers;
    expect(servers.map((s) => [s.port.number, s.port.protocol, s.tls?.mode])).toEqual([
      [L7_MESH.ports.http, 'HTTP', undefined],
      [L7_MESH.ports.https, 'HTTPS', 'SIMPLE'],
    ]);
  });

  it('binds only the second service to the waypoint, and routes each Gateway to its service', () => {
    expect(find('Service', 'origin').metadata.labels?.['istio.io/use-waypoint']).toBeUndefined();
    expect(find('Service', 'origin-wp').metadata.labels?.['istio.io/use-waypoint']).toBe('waypoint');
    expect(find('Gateway', 'waypoint').spec).toMatchObject({ gatewayClassName: 'istio-waypoint' });
    expect(find('Pod', L7_MESH.waypointPod).metadata.labels).toMatchObject({ 'gateway.networking.k8s.io/gateway-name': 'waypoint' });
    expect(find('VirtualService', 'origin-wp').spec).toMatchObject({ gateways: ['bench-gateway-wp'], http: [{ route: [{ destination: { host: 'origin-wp.bench.svc.cluster.local', port: { number: 9080 } } }] }] });
  });
});
