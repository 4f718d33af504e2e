import { describe, expect, it } from 'vitest';
import { benchPanels, buildChartSvg, escapeXml, niceStep } from './chart.js';
import { datasetKey } from './dataset.js';

/** A minimal well-formedness check: every tag closes in order (the SVG has no CDATA or comments). */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self === '/') continue;
    if (close === '/') {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

const local = [1, 2, 4, 8].map((shards) => ({ shards, wallMs: 8000 / Math.min(shards, 2) + shards * 100 }));

describe('buildChartSvg', () => {
  it('is a well-formed SVG document with one marker per local point', () => {
    const svg = buildChartSvg({ title: 'T <&>', subtitle: 'seed 7', local, duckdbMs: 1500 });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('T &lt;&amp;&gt;');
    // wall panel + speed-up panel
    expect(svg.match(/<circle class="point" data-series="local"/g)).toHaveLength(2 * local.length);
    expect(svg).not.toContain('data-series="Render"');
    expect(svg.match(/class="hline"/g)).toHaveLength(1);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws the deployed sweep on the same picture', () => {
    const deployed = [1, 2, 4].map((shards) => ({ shards, wallMs: 20_000 / shards }));
    const svg = buildChartSvg({ title: 't', subtitle: 's', local, deployed, duckdbMs: 1500, referenceMs: 9000 });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/data-series="Render"/g)).toHaveLength(2 * deployed.length);
    expect(svg.match(/class="hline"/g)).toHaveLength(2);
  });

  it('plots speed-up against the 1-shard time', () => {
    const [, up] = benchPanels({ title: '', subtitle: '', local: [{ shards: 1, wallMs: 10 }, { shards: 4, wallMs: 4 }] });
    expect(up?.series[0]?.points).toEqual([{ x: 1, y: 1 }, { x: 4, y: 2.5 }]);
  });

  it('survives a single point and no baseline', () => {
    const svg = buildChartSvg({ title: 't', subtitle: 's', local: [{ shards: 4, wallMs: 1000 }] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('nice steps and escaping', () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
    expect(escapeXml('"a" & <b>')).toBe('&quot;a&quot; &amp; &lt;b&gt;');
  });
});

describe('datasetKey', () => {
  it('names the cache folder by size and seed, and by duplicates only when on', () => {
    expect(datasetKey({ customers: 100_000, seed: 1, duplicates: 0 })).toBe('100000-1');
    expect(datasetKey({ customers: 1_000_000, seed: 42, duplicates: 1.5 })).toBe('1000000-42-dup1.5');
    expect(datasetKey({ customers: 100_000, seed: 2, duplicates: 0 })).not.toBe(datasetKey({ customers: 100_000, seed: 1, duplicates: 0 }));
  });
});
