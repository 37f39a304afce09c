import { describe, expect, it } from 'vitest';
import { exportToProblems, type ExportToOptions } from './export-to.js';

const messages = (exportTo: string[], namespace?: string, options: ExportToOptions = {}) =>
  exportToProblems(exportTo, namespace, options).map((p) => `${p.index} ${p.message}`);
const serviceEntry = { allowNone: true };

describe('exportToProblems', () => {
  it('accepts the documented forms', () => {
    expect(messages([], undefined, serviceEntry)).toEqual([]);
    expect(messages(['.'], undefined, serviceEntry)).toEqual([]);
    expect(messages(['*'], undefined, serviceEntry)).toEqual([]);
    expect(messages(['~'], undefined, serviceEntry)).toEqual([]);
    expect(messages(['.', 'other', 'third'], 'shop', serviceEntry)).toEqual([]);
  });

  it('treats "." as the own namespace when it is known', () => {
    expect(messages(['.', 'shop'], 'shop')).toEqual(['1 duplicate exportTo entry: "." and "shop" both mean the current namespace']);
    expect(messages(['shop', '.'], 'shop')).toEqual(['1 duplicate exportTo entry: "." and "shop" both mean the current namespace']);
    expect(messages(['.', 'shop'])).toEqual([]);
  });

  it('reports plain duplicates and invalid entries', () => {
    expect(messages(['a', 'a'])).toEqual(['1 duplicate exportTo entry "a"']);
    expect(messages(['a_b'], undefined, serviceEntry)).toEqual(['0 exportTo entry "a_b" must be ".", "*", "~" or a namespace name']);
    expect(messages(['a_b'])).toEqual(['0 exportTo entry "a_b" must be ".", "*" or a namespace name']);
  });

  it('requires "*" and "~" to stand alone', () => {
    expect(messages(['*', 'a'])).toEqual(['0 exportTo "*" (all namespaces) cannot be combined with other entries']);
    expect(messages(['~', '.'], 'shop', serviceEntry)).toEqual(['0 exportTo "~" (no namespace) cannot be combined with other entries']);
  });

  it('allows "~" on ServiceEntry only', () => {
    expect(messages(['~'])).toEqual(['0 exportTo "~" (no namespace) is only allowed on ServiceEntry']);
  });

  it('keeps a DestinationRule with a workloadSelector in its own namespace', () => {
    const dr = { workloadSelector: true };
    expect(messages(['.'], 'shop', dr)).toEqual([]);
    expect(messages(['shop'], 'shop', dr)).toEqual([]);
    expect(messages(['.', 'other'], 'shop', dr)).toEqual(['1 a DestinationRule with a workloadSelector can only be exported to its own namespace']);
    expect(messages(['*'], undefined, dr)).toEqual(['0 a DestinationRule with a workloadSelector can only be exported to its own namespace']);
  });
});
