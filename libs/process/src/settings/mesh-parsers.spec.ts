import { describe, expect, it } from 'vitest';
import { dialAddress, network, nodeName, port } from './mesh-parsers.js';

describe('mesh settings', () => {
  it('dials host:port with a port other than 0', () => {
    expect(dialAddress.parse('istiod.istio-system.svc:15012')).toEqual({ host: 'istiod.istio-system.svc', port: 15012 });
    expect(dialAddress.parse('[::1]:15012')).toEqual({ host: '::1', port: 15012 });
    for (const bad of ['127.0.0.1:0', '127.0.0.1', 'a b:1']) expect(dialAddress.parse(bad)).toBeUndefined();
  });

  it('takes node names as DNS names, networks without "/", ports from 0 to 65535', () => {
    expect(nodeName.parse('node-a')).toBe('node-a');
    expect(nodeName.parse('Node_A')).toBeUndefined();
    expect(network.parse('')).toBe('');
    expect(network.parse('net-1')).toBe('net-1');
    for (const bad of ['a/b', ' net']) expect(network.parse(bad)).toBeUndefined();
    expect(port.parse('0')).toBe(0);
    expect(port.parse('65535')).toBe(65535);
    for (const bad of ['65536', '-1', '1.5', '', '123456']) expect(port.parse(bad)).toBeUndefined();
  });
});
