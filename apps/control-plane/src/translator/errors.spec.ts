import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { TranslationError } from './errors.js';

describe('translator errors', () => {
  it('TranslationError has its code, names the resource and keeps the cause', () => {
    const cause = new Error('bad field');
    const error = new TranslationError('ambit.workload.v1.Address', 'shop/x', cause);
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe('AMBIT_ERR_CP_TRANSLATION');
    expect(error.message).toBe('cannot encode ambit.workload.v1.Address shop/x');
    expect(error.resource).toBe('shop/x');
    expect(error.cause).toBe(cause);
    expect(error.hint).toMatch(/bug/);
  });
});
