import { describe, expect, it } from 'vitest';
import { evaluateTargets, targetsTable, TARGETS, type Target } from './targets.js';
import { renderTable } from './table.js';

const TIGHT: Target = { issue: 4, text: 'added p50 ≤ 100 µs', figure: 'x', compare: '<=', threshold: 100, format: (v) => `${v} µs` };

describe('evaluateTargets', () => {
  it('says met or not met with the figure', () => {
    expect(evaluateTargets({ x: 100 }, [TIGHT])[0]).toMatchObject({ verdict: 'met', figure: '100 µs' });
    expect(evaluateTargets({ x: 101 }, [TIGHT])[0]).toMatchObject({ verdict: 'not met', figure: '101 µs' });
  });

  it('says why a figure is missing', () => {
    expect(evaluateTargets({}, [TIGHT])[0]).toMatchObject({ verdict: 'not measured', note: expect.stringMatching(/did not run/) });
  });

  it('converts MiB to MB for the targets stated in MB', () => {
    const rss = evaluateTargets({ 'l4.rss.open1000MiB': 77 }).find((r) => r.target.includes('80 MB'))!;
    expect(rss).toMatchObject({ verdict: 'not met', figure: '81 MB' });
    const waypoint = evaluateTargets({ 'l7.waypoint.rssMiB': 66 }).find((r) => r.target.includes('70 MB'))!;
    expect(waypoint).toMatchObject({ verdict: 'met', figure: '69 MB' });
  });

  it('flags control-plane figures measured below the stated size', () => {
    const result = evaluateTargets({ 'cp.fullSyncMs': 300, 'cp.workloads': 1000, 'cp.clients': 10 }).find((r) => r.target.includes('full sync'))!;
    expect(result).toMatchObject({ verdict: 'met', note: expect.stringMatching(/at 1,000 workloads, 10 clients/) });
  });

  it('lists every target of issues #3, #4 and #5 in the table', () => {
    const text = renderTable(targetsTable(evaluateTargets({})));
    expect(text.split('\n').filter((line) => line.startsWith('| #'))).toHaveLength(TARGETS.length);
    expect(new Set(TARGETS.map((t) => t.issue))).toEqual(new Set([3, 4, 5]));
  });
});
