import { describe, expect, it } from 'vitest';
import { AmbitError, isAmbitError } from './ambit-error.js';

class PortTakenError extends AmbitError {
  constructor(port: number, cause?: unknown) {
    super('AMBIT_ERR_TEST_PORT', `port ${port} is taken`, { hint: 'is another Ambit running?', cause });
  }
}

describe('AmbitError', () => {
  it('keeps code, name, hint and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new PortTakenError(15008, cause);
    expect(err.code).toBe('AMBIT_ERR_TEST_PORT');
    expect(err.name).toBe('PortTakenError');
    expect(err.cause).toBe(cause);
    expect(err.describe()).toBe('port 15008 is taken (is another Ambit running?)');
    expect(isAmbitError(err)).toBe(true);
    expect(isAmbitError(cause)).toBe(false);
  });

  it('describes without a hint as the bare message', () => {
    expect(new AmbitError('AMBIT_ERR_X', 'boom').describe()).toBe('boom');
  });
});
