import { describe, expect, it } from 'vitest';
import { num, ratio, renderTable } from './table.js';

describe('renderTable', () => {
  it('renders a header, a separator, rows and notes', () => {
    const text = renderTable({
      title: 'L4',
      columns: ['path', 'MB/s', 'ratio'],
      rows: [
        ['direct', 1500, '1.00×'],
        ['ztunnel', 500, ratio(500, 1500)],
      ],
      notes: ['measured on loopback'],
    });
    expect(text).toBe(
      ['**L4**', '', '| path | MB/s | ratio |', '|---|---|---|', '| direct | 1500 | 1.00× |', '| ztunnel | 500 | **0.33×** |', '', '- measured on loopback'].join('\n'),
    );
  });

  it('escapes pipes, flattens line breaks and shows missing cells as a dash', () => {
    const text = renderTable({ title: 't', columns: ['a', 'b', 'c'], rows: [['x|y', 'one\ntwo', undefined], [Number.NaN]] });
    expect(text.split('\n').slice(4)).toEqual(['| x\\|y | one two | — |', '| — | — | — |']);
  });
});

describe('num and ratio', () => {
  it('format figures and say "—" for what was not measured', () => {
    expect(num(12345.678, 1)).toBe('12,345.7');
    expect(num(Number.NaN)).toBe('—');
    expect(num(undefined)).toBe('—');
    expect(ratio(1, 4)).toBe('**0.25×**');
    expect(ratio(1, 0)).toBe('—');
    expect(ratio(undefined, 3)).toBe('—');
  });
});
