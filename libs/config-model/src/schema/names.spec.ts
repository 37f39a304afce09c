import { describe, expect, it } from 'vitest';
import {
  checkApiGroup,
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkDnsName,
  checkGatewayApiHostname,
  checkIpOrCidr,
  checkIstioPortName,
  checkKindName,
  checkKubernetesFqdn,
  checkLabelValue,
  checkQualifiedName,
  checkWildcardDomain,
  cidrFamily,
  isIstioDnsLabel,
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

  it('DNS-1035 labels require a leading letter', () => {
    expect(checkDns1035Label('reviews')).toBeUndefined();
    expect(checkDns1035Label('1st')).toBeDefined();
    expect(checkDns1035Label('a'.repeat(64))).toBeDefined();
  });

  it('Kubernetes FQDNs need two labels, lower case, trailing dot allowed', () => {
    expect(checkKubernetesFqdn('db.example.com')).toBeUndefined();
    expect(checkKubernetesFqdn('db.example.com.')).toBeUndefined();
    expect(checkKubernetesFqdn('localhost')).toBeDefined();
    expect(checkKubernetesFqdn('Db.example.com')).toBeDefined();
  });

  it('API groups and kinds of references', () => {
    expect(checkApiGroup('')).toBeUndefined();
    expect(checkApiGroup('gateway.networking.k8s.io')).toBeUndefined();
    expect(checkApiGroup('Core')).toMatch(/core group/);
    expect(checkKindName('HTTPRoute')).toBeUndefined();
    expect(checkKindName('secret-v1!')).toMatch(/Kind name/);
    expect(checkKindName('')).toBeDefined();
    expect(checkKindName(`K${'a'.repeat(63)}`)).toBeDefined();
  });

  it('Gateway API hostnames allow one leading "*." and lower case labels only', () => {
    expect(checkGatewayApiHostname('*.example.com')).toBeUndefined();
    expect(checkGatewayApiHostname('example.com')).toBeUndefined();
    expect(checkGatewayApiHostname('*')).toBeDefined();
    expect(checkGatewayApiHostname('a.*.com')).toBeDefined();
    expect(checkGatewayApiHostname('Example.com')).toBeDefined();
    expect(checkGatewayApiHostname('example.com.')).toBeDefined();
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

  it('plain DNS names refuse wildcards and numeric top-level domains but accept trailing dots', () => {
    expect(checkDnsName('api.example.com')).toBeUndefined();
    expect(checkDnsName('istio.io.')).toBeUndefined();
    expect(checkDnsName('*.example.com')).toBeDefined();
    expect(checkDnsName('*.istio.io')).toBeDefined();
    expect(checkDnsName('1.2.3.4')).toContain('all-numeric');
    expect(checkDnsName('example.com.')).toBeUndefined();
  });

  it('refuse numeric top-level domains but accept single numeric labels in wildcard hosts', () => {
    expect(checkWildcardDomain('reviews.123')).toContain('all-numeric');
    expect(checkWildcardDomain('foo.example.123')).toContain('all-numeric');
    expect(checkWildcardDomain('10.0.0.1')).toContain('all-numeric');
    expect(checkWildcardDomain('*.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*')).toBeUndefined();
    expect(checkWildcardDomain('a.*.com')).toBeDefined();
    expect(checkWildcardDomain('reviews')).toBeUndefined();
    expect(checkWildcardDomain('123')).toBeUndefined();
  });

  it('Istio DNS labels accept either case', () => {
    expect(isIstioDnsLabel('V1')).toBe(true);
    expect(isIstioDnsLabel('v1-canary')).toBe(true);
    expect(isIstioDnsLabel('-v1')).toBe(false);
    expect(isIstioDnsLabel('')).toBe(false);
    expect(isIstioDnsLabel('a'.repeat(63))).toBe(true);
    expect(isIstioDnsLabel('a'.repeat(64))).toBe(false);
  });

  it('Istio port names are Istio DNS labels', () => {
    expect(checkIstioPortName('http-web')).toBeUndefined();
    expect(checkIstioPortName('HTTP')).toBeUndefined();
    expect(checkIstioPortName('http_web')).toBeDefined();
    expect(checkIstioPortName('')).toBeDefined();
  });
});

describe('IPs and CIDRs', () => {
  it.each(['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '192.168.1.1/32'])('accepts %s', (value) => {
    expect(checkIpOrCidr(value)).toBeUndefined();
  });
  it.each(['10.0.0.256', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', 'host', '10.0.0.0/a'])('rejects %s', (value) => {
    expect(checkIpOrCidr(value)).toBeDefined();
  });
  it('cidrFamily parses CIDR blocks', () => {
    expect(cidrFamily('10.244.0.0/16')).toBe(4);
    expect(cidrFamily('fd00::/64')).toBe(6);
    expect(cidrFamily('10.0.0.0')).toMatch(/not a CIDR/);
    expect(cidrFamily('10.0.0.0/33')).toMatch(/prefix length/);
  });
});
