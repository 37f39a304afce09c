import { describe, expect, it } from 'vitest';
import { AmbitError } from '@ambit/errors';
import { InvalidL7ResourceError, L7OptionError } from './errors.js';
import { UpstreamConnectError } from './upstream/upstream-errors.js';

const endpoint = { uid: 'w1', ip: '10.0.0.1', port: 8080, identity: '', healthy: true };

describe('L7 errors', () => {
  it.each([
    [new InvalidL7ResourceError('RouteTable t', 'virtualHosts[0]', 'bad'), 'AMBIT_ERR_L7_INVALID_RESOURCE', 'RouteTable t virtualHosts[0]: bad'],
    [new L7OptionError('retryBufferBytes', -1, 'must be a non-negative integer'), 'AMBIT_ERR_L7_OPTION', 'retryBufferBytes = -1 is invalid'],
    [new UpstreamConnectError(endpoint, true), 'AMBIT_ERR_L7_UPSTREAM_CONNECT', 'connecting to w1 (10.0.0.1:8080) timed out'],
    [new UpstreamConnectError(endpoint, false, new Error('ECONNREFUSED')), 'AMBIT_ERR_L7_UPSTREAM_CONNECT', 'failed: ECONNREFUSED'],
  ])('%s has a stable code and a message naming what failed', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});
