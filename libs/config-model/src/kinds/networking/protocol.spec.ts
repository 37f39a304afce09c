import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISTIO_PROTOCOLS, checkProtocol, isHttpProtocol, isTcpProtocol, isTlsProtocol, parseProtocol } from './protocol.js';

describe('parseProtocol', () => {
  it('matches protocol names case-insensitively, as Istio does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ISTIO_PROTOCOLS), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (protocol, upper) => {
        const mixed = [...protocol].map((c, i) => (upper[i % upper.length] === true ? c.toUpperCase() : c.toLowerCase())).join('');
        expect(parseProtocol(mixed)).toBe(protocol);
      }),
    );
  });

  it('refuses unknown names and suggests the nearest', () => {
    expect(parseProtocol('HTTP3')).toBeUndefined();
    expect(parseProtocol('')).toBeUndefined();
    expect(checkProtocol('HTPS')?.hint).toBe('did you mean "HTTPS"?');
    expect(checkProtocol('')?.message).toBe('protocol must be set');
  });

  it('classifies protocols as Istio does', () => {
    expect(ISTIO_PROTOCOLS.filter((p) => isHttpProtocol(p))).toEqual(['HTTP', 'GRPC', 'GRPC-WEB', 'HTTP2', 'HTTP_PROXY']);
    expect(ISTIO_PROTOCOLS.filter((p) => isTlsProtocol(p))).toEqual(['HTTPS', 'TLS']);
    expect(ISTIO_PROTOCOLS.filter((p) => isTcpProtocol(p))).toEqual(['HTTPS', 'MONGO', 'MYSQL', 'REDIS', 'TCP', 'TLS']);
    expect(isHttpProtocol(undefined)).toBe(false);
  });
});
