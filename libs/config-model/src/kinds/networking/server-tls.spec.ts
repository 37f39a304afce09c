import { describe, expect, it } from 'vitest';
import { isWarning } from '../../schema/object.js';
import { checkServerTls, serverTlsSettings } from './server-tls.js';

const schema = serverTlsSettings().superRefine((tls, ctx) => checkServerTls(tls, ctx, []));
const problems = (tls: unknown) => {
  const result = schema.safeParse(tls);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('checkServerTls', () => {
  it('accepts each certificate source on its own', () => {
    expect(problems({ mode: 'SIMPLE', credentialName: 'cert' })).toEqual([]);
    expect(problems({ mode: 'SIMPLE', credentialNames: ['rsa', 'ecdsa'] })).toEqual([]);
    expect(problems({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem' })).toEqual([]);
    expect(problems({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c.pem', privateKey: '/k.pem' }] })).toEqual([]);
    expect(problems({ mode: 'MUTUAL', credentialName: 'cert' })).toEqual([]);
    expect(problems({ mode: 'OPTIONAL_MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem', caCrl: '/crl.pem' })).toEqual([]);
    expect(problems({ mode: 'ISTIO_MUTUAL' })).toEqual([]);
    expect(problems({})).toEqual([]);
    expect(problems({ httpsRedirect: true })).toEqual([]);
  });

  it('requires certificates for terminating modes', () => {
    expect(problems({ mode: 'SIMPLE' })).toEqual(['mode: SIMPLE TLS requires serverCertificate', 'mode: SIMPLE TLS requires privateKey']);
    expect(problems({ mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' })).toEqual(['mode: MUTUAL TLS requires caCertificates (the client CA bundle)']);
    expect(problems({ mode: 'SIMPLE', tlsCertificates: [{ privateKey: '/k.pem' }] })).toEqual(['tlsCertificates.0: SIMPLE TLS requires serverCertificate']);
  });

  it('refuses certificates with ISTIO_MUTUAL and more than one source', () => {
    expect(problems({ mode: 'ISTIO_MUTUAL', privateKey: '/k.pem', credentialNames: ['a'] })).toEqual([
      'privateKey: ISTIO_MUTUAL TLS cannot have privateKey',
      'credentialNames: ISTIO_MUTUAL TLS cannot have credentialNames',
    ]);
    expect(problems({ mode: 'SIMPLE', credentialName: 'a', credentialNames: ['b'] })).toEqual([
      'credentialNames: only one certificate source may be set, found credentialName and credentialNames',
    ]);
  });

  it('refuses a CRL with SIMPLE, and with credentialName where Istio checks it', () => {
    expect(problems({ mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem', caCrl: '/crl.pem' })).toEqual(['caCrl: caCrl is not supported with SIMPLE TLS']);
    expect(problems({ mode: 'PASSTHROUGH', credentialName: 'a', caCrl: '/crl.pem' })).toEqual([
      'credentialName: PASSTHROUGH mode does not use certificates, they will be ignored (credentialName, caCrl)',
      'caCrl: caCrl is not supported with credentialName',
    ]);
  });

  it('warns, as Istio does, about settings Envoy ignores', () => {
    const warnings = (tls: unknown) =>
      (schema.safeParse(tls).error?.issues ?? []).filter(isWarning).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(warnings({ mode: 'SIMPLE', credentialName: 'a', cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256', 'NOT-A-CIPHER', '-AES128-SHA', 'ECDHE-RSA-AES128-GCM-SHA256'] })).toEqual([
      'cipherSuites.1: ignoring invalid cipher suite "NOT-A-CIPHER"',
      'cipherSuites.3: ignoring duplicate cipher suite "ECDHE-RSA-AES128-GCM-SHA256"',
    ]);
    expect(warnings({ mode: 'SIMPLE', credentialName: 'a', minProtocolVersion: 'TLSV1_1' })).toEqual([
      'minProtocolVersion: minProtocolVersion TLSV1_1 needs cipherSuites: the default ciphers no longer include ones TLS versions below TLSV1_2 can use',
    ]);
    expect(warnings({ mode: 'AUTO_PASSTHROUGH', serverCertificate: '/c.pem' })).toEqual([
      'serverCertificate: AUTO_PASSTHROUGH mode does not use certificates, they will be ignored (serverCertificate)',
    ]);
    expect(warnings({ httpsRedirect: true, cipherSuites: ['ALL'] })).toEqual([]);
  });
});
