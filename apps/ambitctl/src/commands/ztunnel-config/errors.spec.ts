import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { AdminUnreachableError, ConfigDumpError, ZtunnelTargetError } from './errors.js';

describe('ztunnel-config errors', () => {
  it.each([
    [new ZtunnelTargetError('the local mesh on /s has 2 nodes (a, b): say which with --node NAME', 'or give --address'), 'AMBIT_ERR_ZTUNNEL_CONFIG_TARGET', 'the local mesh on /s has 2 nodes (a, b): say which with --node NAME', /--address/],
    [new AdminUnreachableError('127.0.1.1:15000', 'connection refused'), 'AMBIT_ERR_ZTUNNEL_CONFIG_UNREACHABLE', 'cannot read the config dump of the ztunnel at 127.0.1.1:15000: connection refused', /ambitctl local status/],
    [new ConfigDumpError('http://h:1/config_dump', 'answered 404: not found'), 'AMBIT_ERR_ZTUNNEL_CONFIG_DUMP', 'http://h:1/config_dump answered 404: not found', /admin endpoint of an Ambit \(or Istio\) ztunnel/],
  ])('%s', (error, code, message, hint) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(hint);
    expect(error.name).toBe(error.constructor.name);
  });
});
