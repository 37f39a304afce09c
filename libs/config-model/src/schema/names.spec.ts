import { describe, expect, it } from 'vitest';
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkDnsName,
  checkIpOrCidr,
  checkLabelValue,
  checkQualifiedName,
  checkWildcardDomain,
} from './names.js';

describe('Kubernetes names', () => {
  it('DNS-1123 labels', () => {
    expect(checkDns1123Label('reviews-v1')).toBeUndefined();
    expect(checkDns1123Label('Reviews')).toMatch(/lower case/);
    expect(checkDns1123Label('-a')).toMatch(/start and end/);
    expect(checkDns1123Label('a.b')).toBeDefined();
    expect(checkDns1123Label('a'.repeat(64))).toMatch(/longer than 63/);
  });

  it('DNS-1123 subdomains', () => {
    expect(checkDns1123Subdomain('reviews.v1')).toBeUndefined();
    expect(checkDns1123Subdomain('a..b')).toBeDefined();
    expect(checkDns1123Subdomain('a'.repeat(254))).toMatch(/longer than 253/);
  });

  it('label keys and values', () => {
    expect(checkQualifiedName('app')).toBeUndefined();
    expect(checkQualifiedName('istio.io/dataplane-mode')).toBeUndefined();
    expect(checkQualifiedName('app.kubernetes.io/name')).toBeUndefined();
    expect(checkQualifiedName('/x')).toMatch(/empty prefix/);
    expect(checkQualifiedName('Bad_Prefix/x')).toMatch(/prefix/);
    expect(checkQualifiedName('a b')).toBeDefined();
    expect(checkLabelValue('')).toBeUndefined();
    expect(checkLabelValue('v1.2_beta-3')).toBeUndefined();
    expect(checkLabelValue('a b')).toBeDefined();
    expect(checkLabelValue('-a')).toBeDefined();
  });
});

describe('hosts', () => {
  it.each(['*', '*.example.com', 'reviews', 'reviews.default.svc.cluster.local', 'api.example.com.', '*-api.example.com', 'Reviews.Example.COM'])(
    'accepts wildcard host %s',
    (host) => {
      expect(checkWildcardDomain(host)).toBeUndefined();
    },
  );

  it.each(['', 'a..b', 'foo.*.com', '*.', 'bad_host.com', '-a.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(128)}com`])('rejects wildcard host %j', (host) => {
    expect(checkWildcardDomain(host)).toBeDefined();
  });

  it('plain DNS names refuse wildcards', () => {
    expect(checkDnsName('api.example.com')).toBeUndefined();
    expect(checkDnsName('*.example.com')).toBeDefined();
  });
});

describe('IPs and CIDRs', () => {
  it.each(['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '192.168.1.1/32'])('accepts %s', (value) => {
    expect(checkIpOrCidr(value)).toBeUndefined();
  });
  it.each(['10.0.0.256', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', 'host', '10.0.0.0/a'])('rejects %s', (value) => {
    expect(checkIpOrCidr(value)).toBeDefined();
  });
});
