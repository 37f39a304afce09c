import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** Every error class of the authorization engine: how to make one, its stable code, what the message names. */
const TABLE: ReadonlyArray<readonly [AmbitError, string, RegExp]> = [
  [
    new errors.InvalidPolicyError('bank/ledger', 'groups[0].rules[0].matches[0].sourceIps[1].address', 'must be 4 or 16 bytes, not 5'),
    'AMBIT_ERR_AUTHZ_INVALID_POLICY',
    /^authorization bank\/ledger groups\[0\]\.rules\[0\]\.matches\[0\]\.sourceIps\[1\]\.address: must be 4 or 16 bytes, not 5$/,
  ],
];

describe('authz errors', () => {
  it.each(TABLE.map(([error, code, message]) => [error.name, error, code, message] as const))('%s has its code, message and hint', (_name, error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it('names the policy and the field', () => {
    const error = new errors.InvalidPolicyError('a/b', 'scope', 'bad');
    expect([error.policy, error.field]).toEqual(['a/b', 'scope']);
  });
});
