import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

/** Every error class of the model stage: how to make one, its stable code, what the message names. */
const TABLE: ReadonlyArray<readonly [AmbitError, string, RegExp]> = [
  [new errors.MeshSettingError('trustDomain', 'A', 'must be lower case'), 'AMBIT_ERR_CP_MESH_SETTING', /mesh setting trustDomain = "A" is invalid: must be lower case/],
  [new errors.ConflictingChangeError('Pod shop/a', 'names a resource twice'), 'AMBIT_ERR_CP_CONFLICTING_CHANGE', /names a resource twice: Pod shop\/a/],
];

describe('model errors', () => {
  it.each(TABLE.map(([error, code, message]) => [error.name, error, code, message] as const))('%s has its code, message and hint', (_name, error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it('gives each class its own code', () => {
    expect(new Set(TABLE.map(([, code]) => code)).size).toBe(TABLE.length);
    expect(new Set(TABLE.map(([error]) => error.name)).size).toBe(TABLE.length);
  });
});
