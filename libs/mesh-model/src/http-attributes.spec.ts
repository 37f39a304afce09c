import { describe, expect, it } from 'vitest';
import { httpAttributes } from './http-attributes.js';

describe('httpAttributes', () => {
  it('finds nothing in an L4 rule', () => {
    expect(
      httpAttributes({
        from: [{ source: { principals: ['a'], namespaces: ['b'], ipBlocks: ['1.2.3.4'], serviceAccounts: ['c'] } }],
        to: [{ operation: { ports: ['80'], notPorts: ['81'] } }],
        when: [{ key: 'source.ip', values: ['1.2.3.4'] }, { key: 'destination.port', values: ['80'] }],
      }),
    ).toEqual([]);
  });

  it("names every HTTP-only attribute, as Istio's warning does", () => {
    expect(
      httpAttributes({
        from: [{ source: { requestPrincipals: ['x'], notRemoteIpBlocks: ['1.2.3.4'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/'], notHosts: ['h'] } }, { operation: { methods: ['POST'] } }],
        when: [{ key: 'request.headers[x]', values: ['1'] }, { key: 'source.serviceAccount', values: ['a'] }, { key: 'remote.ip', values: ['1.1.1.1'] }],
      }),
    ).toEqual(['methods', 'notHosts', 'notRemoteIpBlocks', 'paths', 'remote.ip', 'request.headers[x]', 'requestPrincipals', 'source.serviceAccount']);
  });
});
