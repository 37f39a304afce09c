import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { UnauthenticatedCallError } from '../errors.js';
import { bearerTokenOf, isBearerToken, MAX_BEARER_TOKEN_LENGTH } from './bearer-token.js';

function metadata(...values: string[]): Metadata {
  const result = new Metadata();
  for (const value of values) result.add('authorization', value);
  return result;
}

describe('bearerTokenOf', () => {
  it('reads the token of "Bearer <token>", the scheme in any case', () => {
    expect(bearerTokenOf(metadata('Bearer abc.DEF-ghi_~+/=='))).toBe('abc.DEF-ghi_~+/==');
    expect(bearerTokenOf(metadata('bearer  xyz'))).toBe('xyz');
  });

  it('is undefined without authorization metadata', () => {
    expect(bearerTokenOf(new Metadata())).toBeUndefined();
  });

  it.each([
    ['another scheme', ['Basic S3CRET']],
    ['no token', ['Bearer ']],
    ['a token with a space', ['Bearer S3CRET S3CRET']],
    ['a token with a quote', ['Bearer "S3CRET"']],
    ['two values', ['Bearer S3CRET', 'Bearer S3CRET2']],
    ['a token over the limit', [`Bearer S3CRET${'a'.repeat(MAX_BEARER_TOKEN_LENGTH)}`]],
  ])('refuses %s, without quoting it', (_, values) => {
    let thrown: unknown;
    try {
      bearerTokenOf(metadata(...values));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnauthenticatedCallError);
    expect((thrown as Error).message).not.toContain('S3CRET');
  });

  it('tells what a client may send', () => {
    expect(isBearerToken('Zm9v_YmFy-42')).toBe(true);
    expect(isBearerToken('')).toBe(false);
    expect(isBearerToken('a\nb')).toBe(false);
  });
});
