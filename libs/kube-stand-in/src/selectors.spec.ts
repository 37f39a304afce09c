import { describe, expect, it } from 'vitest';
import { BadRequestError } from './errors.js';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';

const pod = (labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'p', namespace: 'demo', labels }, ...extra });

describe('label selectors', () => {
  it('reads equality, inequality, sets and existence, all of which must hold', () => {
    const web = pod({ app: 'web', tier: 'front' });
    const db = pod({ app: 'db' });
    const cases: [string, boolean, boolean][] = [
      ['app=web', true, false],
      ['app==web', true, false],
      ['app!=web', false, true],
      ['app in (web, api)', true, false],
      ['app notin (web)', false, true],
      ['tier', true, false],
      ['!tier', false, true],
      ['app in (web,db),!tier', false, true],
      ['', true, true],
    ];
    for (const [text, matchesWeb, matchesDb] of cases) {
      const selects = parseLabelSelector(text);
      expect([text, selects(web), selects(db)]).toEqual([text, matchesWeb, matchesDb]);
    }
  });

  it('refuses what it cannot read', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(BadRequestError);
  });
});

describe('field selectors', () => {
  it('compares dotted fields as strings, a missing field as empty', () => {
    const token = pod({}, { type: 'kubernetes.io/service-account-token' });
    const opaque = pod({}, { type: 'Opaque' });
    const notTokens = parseFieldSelector('type!=kubernetes.io/service-account-token');
    expect([notTokens(token), notTokens(opaque)]).toEqual([false, true]);
    expect(parseFieldSelector('metadata.namespace=demo,metadata.name==p')(opaque)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=')(opaque)).toBe(true);
    expect(() => parseFieldSelector('type')).toThrow(BadRequestError);
  });
});
