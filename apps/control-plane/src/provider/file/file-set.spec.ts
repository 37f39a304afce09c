import { formatIssue, type Resource } from '@ambit/config-model';
import { describe, expect, it } from 'vitest';
import { peerAuthentication as pa } from '../__support__/recorder.js';
import { FileSet } from './file-set.js';
import { parseConfigFile } from './load-file.js';

const T1 = new Date('2030-01-01T00:00:00Z');
const T2 = new Date('2030-01-01T00:01:00Z');

function read(path: string, text: string, digest = text) {
  return { signature: `sig-${digest}`, digest, ...parseConfigFile(path, text, 'default') };
}

const modeOf = (resource: Resource): string | undefined => (resource.kind === 'PeerAuthentication' ? resource.spec?.mtls?.mode : undefined);
const merged = (files: FileSet): string[] => [...files.merge().values()].map((e) => `${e.resource.source.file} ${e.resource.metadata.name} ${modeOf(e.resource)}`);

describe('FileSet', () => {
  it('applies a file all or nothing: an error keeps the previous good version in force', () => {
    const files = new FileSet();
    expect(files.record('/c/a.yaml', read('/c/a.yaml', pa('shop', 'a') + '---\n' + pa('shop', 'b')), T1)).toEqual({ applied: true, keptPrevious: false });

    const broken = pa('shop', 'a', 'PERMISSIVE') + '---\n' + pa('shop', 'b').replace('mode: STRICT', 'mode: 7');
    expect(files.record('/c/a.yaml', read('/c/a.yaml', broken), T2)).toEqual({ applied: false, keptPrevious: true });
    expect(merged(files)).toEqual(['/c/a.yaml a STRICT', '/c/a.yaml b STRICT']);
    const [status] = files.status();
    expect(status).toMatchObject({ path: '/c/a.yaml', loadedAt: T2, inForceSince: T1, ok: false, resources: 2 });
    expect(status!.issues).toHaveLength(1);
  });

  it('counts a file that could not be read as an error, never as empty', () => {
    const files = new FileSet();
    files.record('/c/a.yaml', read('/c/a.yaml', pa('shop', 'a')), T1);
    expect(files.record('/c/a.yaml', { signature: 'unknown', digest: undefined, resources: [], issues: [] }, T2)).toEqual({ applied: false, keptPrevious: true });
    expect(merged(files)).toEqual(['/c/a.yaml a STRICT']);
  });

  it('lets the first file in path order define a resource and reports the later ones', () => {
    const files = new FileSet();
    files.record('/c/b.yaml', read('/c/b.yaml', pa('shop', 'x', 'DISABLE')), T1);
    files.record('/c/a/z.yaml', read('/c/a/z.yaml', pa('shop', 'x')), T1);
    files.record('/c/a.yaml', read('/c/a.yaml', pa('shop', 'x', 'PERMISSIVE')), T1);
    expect(merged(files)).toEqual(['/c/a/z.yaml x STRICT']);
    expect(files.status().map((s) => [s.path, s.ok, s.resources, s.issues.map(formatIssue)])).toEqual([
      ['/c/a/z.yaml', true, 1, []],
      ['/c/a.yaml', false, 0, ['/c/a.yaml:1:1 PeerAuthentication shop/x metadata.name: is defined twice; the first definition is at /c/a/z.yaml:1:1 (rename one or remove the copy)']],
      ['/c/b.yaml', false, 0, ['/c/b.yaml:1:1 PeerAuthentication shop/x metadata.name: is defined twice; the first definition is at /c/a/z.yaml:1:1 (rename one or remove the copy)']],
    ]);

    files.delete('/c/a/z.yaml');
    expect(merged(files)).toEqual(['/c/a.yaml x PERMISSIVE']);
    expect(files.pathsWithin('/c/a')).toEqual([]);
    expect(files.pathsWithin('/c')).toEqual(['/c/a.yaml', '/c/b.yaml']);
  });

  it('recognises content it has already read, refreshing only the signature', () => {
    const files = new FileSet();
    files.record('/c/a.yaml', read('/c/a.yaml', pa('shop', 'a')), T1);
    expect(files.unchanged('/c/a.yaml', 'touched', pa('shop', 'a'))).toBe(true);
    expect(files.signature('/c/a.yaml')).toBe('touched');
    expect(files.unchanged('/c/a.yaml', 'written', 'other digest')).toBe(false);
    expect(files.unchanged('/c/new.yaml', 'sig', 'digest')).toBe(false);
  });
});
