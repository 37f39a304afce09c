import { describe, expect, it } from 'vitest';
import { IssueCode } from '../issues.js';
import { parseDocuments } from './parse-documents.js';

const parse = (text: string) => parseDocuments({ name: 'f.yaml', text });

describe('parseDocuments', () => {
  it('splits documents, skips empty ones and keeps each object position', () => {
    const { objects, issues } = parse('---\n# only a comment\n---\na: 1\n---\n\n---\nb:\n  c: [1, 2]\n');
    expect(issues).toEqual([]);
    expect(objects.map((o) => o.value)).toEqual([{ a: 1 }, { b: { c: [1, 2] } }]);
    expect(objects.map((o) => [o.position.line, o.position.col])).toEqual([
      [4, 1],
      [8, 1],
    ]);
  });

  it('locates values and keys by path, falling back to the deepest node that exists', () => {
    const { objects } = parse('spec:\n  http:\n  - route:\n    - weight: 120\n');
    const locate = objects[0]!.locate;
    expect(locate(['spec', 'http', 0, 'route', 0, 'weight'])).toEqual({ file: 'f.yaml', line: 4, col: 15 });
    expect(locate(['spec', 'http', 0, 'route', 0, 'weight'], 'key')).toEqual({ file: 'f.yaml', line: 4, col: 7 });
    expect(locate(['spec', 'http', 0, 'missing'])).toEqual({ file: 'f.yaml', line: 3, col: 5 });
    expect(locate(['spec', 'http', 7])).toEqual({ file: 'f.yaml', line: 3, col: 3 });
  });

  it('unwraps List and <Kind>List items, locating inside each item', () => {
    const { objects } = parse('apiVersion: v1\nkind: List\nitems:\n- kind: A\n  x: 1\n- kind: B\n');
    expect(objects.map((o) => o.value)).toEqual([{ kind: 'A', x: 1 }, { kind: 'B' }]);
    expect(objects[0]!.locate(['x'])).toEqual({ file: 'f.yaml', line: 5, col: 6 });
    const typed = parse('apiVersion: networking.istio.io/v1\nkind: VirtualServiceList\nitems:\n- kind: VirtualService\n');
    expect(typed.objects.map((o) => o.value)).toEqual([{ kind: 'VirtualService' }]);
  });

  it('reads YAML 1.1 scalars as Kubernetes does', () => {
    const { objects } = parse('a: yes\nb: off\nc: "yes"\nd: 0x10\ne: 2026-01-01T00:00:00Z\nf: 22:22\ng: !!binary aGk=\nh: {<<: {x: 1}, z: 2}\n');
    expect(objects[0]!.value).toEqual({ a: true, b: false, c: 'yes', d: 16, e: '2026-01-01T00:00:00Z', f: '22:22', g: 'aGk=', h: { x: 1, z: 2 } });
  });

  it('reads JSON', () => {
    const { objects } = parse('{"apiVersion": "v1", "kind": "Namespace",\n "metadata": {"name": "x"}}');
    expect(objects[0]!.value).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    expect(objects[0]!.locate(['metadata', 'name'])).toEqual({ file: 'f.yaml', line: 2, col: 23 });
  });

  it('reports syntax errors and duplicate keys at their position', () => {
    const dup = parse('a: 1\nb: 2\na: 3\n');
    expect(dup.objects).toEqual([]);
    expect(dup.issues[0]).toMatchObject({ code: IssueCode.Syntax, position: { line: 3, col: 1 } });
    const bad = parse('a: [1, 2\n');
    expect(bad.issues[0]!.code).toBe(IssueCode.Syntax);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const { objects, issues } = parse(`${levels.join('\n')}\n`);
    expect(objects).toEqual([]);
    expect(issues[0]!.message).toMatch(/YAML error/);
  });
});
