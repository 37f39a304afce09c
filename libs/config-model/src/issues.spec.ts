import { describe, expect, it } from 'vitest';
import { formatIssue, formatPath, IssueCode } from './issues.js';

describe('formatPath', () => {
  it('renders fields, indexes and odd keys as users write them', () => {
    expect(formatPath(['spec', 'http', 0, 'route', 1, 'weight'])).toBe('spec.http[0].route[1].weight');
    expect(formatPath(['metadata', 'labels', 'istio.io/rev'])).toBe('metadata.labels["istio.io/rev"]');
    expect(formatPath([])).toBe('');
  });
});

describe('formatIssue', () => {
  it('reads file:line:col Kind namespace/name field.path: message (hint)', () => {
    expect(
      formatIssue({
        severity: 'error',
        code: IssueCode.Value,
        position: { file: 'vs.yaml', line: 14, col: 9 },
        resource: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
        path: 'spec.http[0].route[1].weight',
        message: 'must be at most 100, got 120',
        hint: 'weights are percentages',
      }),
    ).toBe('vs.yaml:14:9 VirtualService default/reviews spec.http[0].route[1].weight: must be at most 100, got 120 (weights are percentages)');
  });

  it('omits what a document-level or file-level issue does not have', () => {
    const base = { severity: 'error', code: IssueCode.Syntax, path: '', message: 'bad' } as const;
    expect(formatIssue({ ...base, position: { file: 'a.yaml', line: 3, col: 1 } })).toBe('a.yaml:3:1: bad');
    expect(formatIssue({ ...base, position: { file: 'a.yaml', line: 0, col: 0 } })).toBe('a.yaml: bad');
    expect(formatIssue({ ...base, position: { file: 'n.yaml', line: 1, col: 1 }, resource: { kind: 'Node', name: 'n1' } })).toBe('n.yaml:1:1 Node n1: bad');
  });
});
