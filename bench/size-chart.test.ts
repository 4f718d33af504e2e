import { describe, expect, it } from 'vitest';
import { buildSizeChartSvg, decades } from './size-chart.js';

describe('size chart', () => {
  const svg = buildSizeChartSvg({
    title: 'time & memory <vs> size',
    subtitle: 'seed 1',
    wall: [
      { label: 'DuckDB aggregates only', points: [{ customers: 1e5, value: 0.5 }, { customers: 1e6, value: 5 }, { customers: 1e7, value: 50 }] },
      { label: 'local 1 shard', points: [{ customers: 1e5, value: 2 }, { customers: 1e6, value: 9 }] },
    ],
    memory: [
      { label: 'DuckDB aggregates only', points: [{ customers: 1e5, value: 120 }, { customers: 1e6, value: 1000 }, { customers: 1e7, value: 9000 }] },
      { label: 'local 1 shard', points: [{ customers: 1e5, value: 280 }, { customers: 1e6, value: 282 }] },
    ],
  });

  it('is one well-formed SVG document with escaped text and a marker per measured point', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('time &amp; memory &lt;vs&gt; size');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(svg.match(/<circle class="point"/g)).toHaveLength(10);
    expect(svg.match(/<g class="panel" data-scale="log">/g)).toHaveLength(2);
    // Every opened element is closed.
    const open = (svg.match(/<(g|text|svg|circle|title)[ >]/g) ?? []).length;
    const closed = (svg.match(/<\/(g|text|svg|circle|title)>/g) ?? []).length;
    expect(open).toBe(closed);
  });

  it('puts sizes on a log scale: each decade of customers is the same distance apart', () => {
    const xs = [...svg.matchAll(/data-series="DuckDB aggregates only" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(6);
    const [a, b, c] = xs;
    expect(b! - a!).toBeCloseTo(c! - b!, 1);
    // Memory 120 → 1000 → 9000 MiB: y steps of one decade (roughly) are equal too, where a linear axis would squash the first.
    const ys = [...svg.matchAll(/data-series="DuckDB aggregates only" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1])).slice(3);
    const r1 = (ys[0]! - ys[1]!) / Math.log10(1000 / 120);
    const r2 = (ys[1]! - ys[2]!) / Math.log10(9000 / 1000);
    expect(r1).toBeCloseTo(r2, 1);
    expect(decades(120, 9000)).toEqual([100, 1000, 10000]);
    expect(decades(5, 5)).toEqual([1, 10]);
  });
});
