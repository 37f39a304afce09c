import { describe, expect, it } from 'vitest';
import { checkServiceEntryExportTo } from './export-to.js';

const messages = (exportTo: string[], namespace?: string) => checkServiceEntryExportTo(exportTo, namespace).map((p) => `${p.index ?? '-'} ${p.message}`);

describe('checkServiceEntryExportTo', () => {
  it('accepts the documented forms', () => {
    expect(messages([])).toEqual([]);
    expect(messages(['.'])).toEqual([]);
    expect(messages(['*'])).toEqual([]);
    expect(messages(['~'])).toEqual([]);
    expect(messages(['.', 'other', 'third'], 'shop')).toEqual([]);
  });

  it('treats "." as the own namespace when it is known', () => {
    expect(messages(['.', 'shop'], 'shop')).toEqual(['1 duplicate exportTo entry: "." and "shop" both mean the current namespace']);
    expect(messages(['shop', '.'], 'shop')).toEqual(['1 duplicate exportTo entry: "." and "shop" both mean the current namespace']);
    expect(messages(['.', 'shop'])).toEqual([]);
  });

  it('reports plain duplicates and invalid entries', () => {
    expect(messages(['a', 'a'])).toEqual(['1 duplicate exportTo entry "a"']);
    expect(messages(['a_b'])).toEqual(['0 invalid exportTo entry "a_b"']);
  });

  it('requires "*" and "~" to stand alone', () => {
    expect(messages(['*', 'a'])).toEqual(['- exportTo cannot mix "*" (every namespace) with other entries']);
    expect(messages(['~', '.'], 'shop')).toEqual(['- exportTo cannot mix "~" (no namespace) with other entries']);
  });
});
