import { describe, expect, it } from 'vitest';
import { intersectHosts, serverHosts } from './gateway-hosts.js';

describe('gateway host matching', () => {
  it('reads the namespace/host forms', () => {
    expect(serverHosts(['a.example.com', 'shop/b.example.com', './c.example.com', '*/*'])).toEqual([
      { namespace: '*', host: 'a.example.com' },
      { namespace: 'shop', host: 'b.example.com' },
      { namespace: '.', host: 'c.example.com' },
      { namespace: '*', host: '*' },
    ]);
  });

  it.each([
    [['shop.example.com'], ['*'], 'shop', ['shop.example.com']],
    [['*.example.com'], ['shop/api.example.com'], 'shop', ['api.example.com']],
    [['*.example.com'], ['*.shop.example.com'], 'shop', ['*.shop.example.com']],
    [['api.example.com'], ['*.other.com'], 'shop', []],
    // `shop/` admits only VirtualServices of shop; `.` only the Gateway's own namespace.
    [['api.example.com'], ['shop/*'], 'other', []],
    [['api.example.com'], ['./*'], 'gw', ['api.example.com']],
    [['api.example.com'], ['./*'], 'shop', []],
  ])('%j through %j from %s serves %j', (vsHosts, hosts, vsNamespace, expected) => {
    expect(intersectHosts(vsHosts, serverHosts(hosts), vsNamespace, 'gw')).toEqual(expected);
  });
});
