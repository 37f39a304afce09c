import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError, MessageEncodeError } from '../errors.js';
import { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../generated/envoy.service.discovery.v3.js';
import { securityV1, workloadV1 } from '../index.js';
import { ADDRESS_TYPE_URL, AUTHORIZATION_TYPE_URL } from '../type-urls.js';

describe('generated codecs', () => {
  it('name their type URLs as the constants do', () => {
    expect(workloadV1.Address.typeUrl).toBe(ADDRESS_TYPE_URL);
    expect(securityV1.Authorization.typeUrl).toBe(AUTHORIZATION_TYPE_URL);
    expect(ADDRESS_TYPE_URL).toBe('type.googleapis.com/ambit.workload.v1.Address');
    expect(AUTHORIZATION_TYPE_URL).toBe('type.googleapis.com/ambit.security.v1.Authorization');
  });

  it('decode to plain objects with every field present', () => {
    expect(workloadV1.Workload.decode(workloadV1.Workload.encode({ uid: 'u', services: { 'ns/h': { ports: [{ servicePort: 80, targetPort: 8080 }] } } }))).toEqual({
      uid: 'u',
      name: '',
      namespace: '',
      addresses: [],
      hostname: '',
      network: '',
      tunnelProtocol: workloadV1.TunnelProtocol.NONE,
      trustDomain: '',
      serviceAccount: '',
      waypoint: null,
      node: '',
      canonicalName: '',
      canonicalRevision: '',
      workloadType: workloadV1.WorkloadType.DEPLOYMENT,
      workloadName: '',
      services: { 'ns/h': { ports: [{ servicePort: 80, targetPort: 8080 }] } },
      authorizationPolicies: [],
      status: workloadV1.WorkloadStatus.HEALTHY,
      clusterId: '',
      locality: null,
    });
  });

  it('carry oneofs as discriminated unions', () => {
    const address: workloadV1.Address = workloadV1.Address.decode(workloadV1.Address.encode({ type: 'service', service: { hostname: 'reviews.bookinfo.svc.cluster.local' } }));
    expect(address.type === 'service' && address.service.hostname).toBe('reviews.bookinfo.svc.cluster.local');
    expect(workloadV1.Address.decode(new Uint8Array()).type).toBeUndefined();
    const match = securityV1.StringMatch.decode(securityV1.StringMatch.encode({ matchType: 'presence', presence: false }));
    expect(match).toEqual({ matchType: 'presence', presence: false });
  });

  it('round-trip DeltaDiscoveryRequests', () => {
    const strings = fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 });
    fc.assert(
      fc.property(
        fc.record({
          typeUrl: fc.string(),
          resourceNamesSubscribe: strings,
          resourceNamesUnsubscribe: strings,
          initialResourceVersions: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 5 }),
          responseNonce: fc.string(),
        }),
        (request) => {
          const decoded = DeltaDiscoveryRequest.decode(DeltaDiscoveryRequest.encode(request));
          expect({ ...decoded, initialResourceVersions: { ...decoded.initialResourceVersions } }).toEqual({ ...request, node: null, errorDetail: null });
        },
      ),
    );
  });

  // The decoders face the network: any bytes either decode or fail with the library's error.
  it.each([DeltaDiscoveryRequest, DeltaDiscoveryResponse, workloadV1.Address, securityV1.Authorization])('fuzz: $typeName decodes any bytes or refuses them cleanly', (codec) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          codec.decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessageError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses nesting deeper than protobufjs allows instead of overflowing the stack', () => {
    let bytes: Uint8Array = new Uint8Array();
    // Struct → Value.structValue → Struct → …: 2 000 levels.
    for (let i = 0; i < 2000; i++) {
      const value = Buffer.concat([Buffer.from([0x2a, bytes.length]), bytes]).subarray(0, 2 + bytes.length);
      bytes = Buffer.concat([Buffer.from([0x0a]), varint(value.length + 3), Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(value.length), value]);
    }
    expect(() => DeltaDiscoveryRequest.decode(Buffer.concat([Buffer.from([0x0a]), varint(bytes.length + 2), Buffer.from([0x1a]), varint(bytes.length), bytes]))).toThrow(MalformedMessageError);
  });

  it('reports objects that do not fit the message', () => {
    expect(() => workloadV1.Workload.encode({ tunnelProtocol: 'HBONE' as unknown as workloadV1.TunnelProtocol })).toThrow(MessageEncodeError);
    expect(() => workloadV1.Workload.encode({ uid: 7 as unknown as string })).toThrow(/uid: string expected/);
  });
});

function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return Buffer.from(out);
}
