import { describe, expect, it } from 'vitest';
import { extractCaCert, extractCrl, extractKeyAndCert, secretValue } from './tls-credential.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('secretValue', () => {
  it('decodes data and prefers stringData', () => {
    expect(secretValue({ data: { a: b64('from data') } }, 'a')).toBe('from data');
    expect(secretValue({ data: { a: b64('from data') }, stringData: { a: 'plain' } }, 'a')).toBe('plain');
    expect(secretValue({ data: { a: `${b64('wrapped value').slice(0, 8)}\n${b64('wrapped value').slice(8)}` } }, 'a')).toBe('wrapped value');
    expect(secretValue({}, 'a')).toBeUndefined();
  });
});

describe('extractKeyAndCert (Istio credentialName rules)', () => {
  it('reads a kubernetes.io/tls layout', () => {
    const r = extractKeyAndCert({ data: { 'tls.crt': b64('CERT'), 'tls.key': b64('KEY') } });
    expect(r).toEqual({ ok: true, value: { certificate: 'CERT', privateKey: 'KEY' } });
  });
  it('prefers the generic cert/key layout when both are present', () => {
    const r = extractKeyAndCert({ data: { cert: b64('G-CERT'), key: b64('G-KEY'), 'tls.crt': b64('T'), 'tls.key': b64('T') } });
    expect(r).toEqual({ ok: true, value: { certificate: 'G-CERT', privateKey: 'G-KEY' } });
  });
  it('falls back to tls.* when the generic keys are empty', () => {
    const r = extractKeyAndCert({ data: { cert: '', key: '', 'tls.crt': b64('T-CERT'), 'tls.key': b64('T-KEY') } });
    expect(r).toEqual({ ok: true, value: { certificate: 'T-CERT', privateKey: 'T-KEY' } });
  });
  it('says when the keys exist but are empty', () => {
    expect(extractKeyAndCert({ data: { 'tls.crt': '', 'tls.key': '' } })).toEqual({ ok: false, error: 'found keys "tls.crt" and "tls.key", but they were empty' });
  });
  it('lists what it found otherwise (at most three keys)', () => {
    const r = extractKeyAndCert({ data: { a: '', b: '', c: '', d: '' }, stringData: { cert: 'only cert' } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe("found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: a, b, c, and 2 more...");
  });
});

describe('extractCaCert and extractCrl', () => {
  it('reads cacert, then ca.crt', () => {
    expect(extractCaCert({ stringData: { cacert: 'CA1', 'ca.crt': 'CA2' } })).toEqual({ ok: true, value: 'CA1' });
    expect(extractCaCert({ stringData: { 'ca.crt': 'CA2' } })).toEqual({ ok: true, value: 'CA2' });
    expect(extractCaCert({ stringData: { cacert: '' } })).toEqual({ ok: false, error: 'found key "cacert", but it was empty' });
    expect(extractCaCert({ stringData: { 'tls.crt': 'x' } }).ok).toBe(false);
  });
  it('reads crl, then ca.crl', () => {
    expect(extractCrl({ stringData: { 'ca.crl': 'CRL' } })).toBe('CRL');
    expect(extractCrl({ stringData: {} })).toBeUndefined();
  });
});
