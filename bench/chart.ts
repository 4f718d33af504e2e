/**
 * A hand-written SVG chart (no dependency): wall time and speed-up versus shard count, local and
 * deployed on one picture, with DuckDB's time as a reference line. Pure string building, so the
 * output is deterministic and unit-tested (well-formed, one marker per measured point).
 */

export interface Point {
  /** Shard count. */
  readonly x: number;
  readonly y: number;
}

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly Point[];
  /** Drawn dashed, without markers (ideal lines). */
  readonly guide?: boolean;
}

export interface HLine {
  readonly label: string;
  readonly color: string;
  readonly y: number;
}

export interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly hlines?: readonly HLine[];
}

export interface ChartInput {
  readonly title: string;
  readonly subtitle: string;
  /** Local sweep: shard count → median wall ms. */
  readonly local: readonly { readonly shards: number; readonly wallMs: number }[];
  /** Deployed sweep, when it ran. */
  readonly deployed?: readonly { readonly shards: number; readonly wallMs: number }[];
  /** Legend of the deployed line (default "Render"). */
  readonly deployedLabel?: string;
  /** Median wall ms of DuckDB computing the aggregates only (writes no profiles), same run. */
  readonly duckdbMs?: number;
  /** Median wall ms of DuckDB writing the same JSON profiles, same run. */
  readonly duckdbProfilesMs?: number;
  /** The single-process reference's median wall ms. */
  readonly referenceMs?: number;
}

const W = 1040;
const H = 430;
const PANEL_W = 440;
const PANEL_H = 300;
const TOP = 80;
const LEFT = [70, 560];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick step for a span: 1, 2 or 5 times a power of ten, giving about `target` ticks. */
/** The opening lines of a chart: the SVG element, a white page, the title and the subtitle. */
export function svgHead(width: number, height: number, title: string, subtitle: string): string[] {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="44" text-anchor="middle" font-size="12" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
}

export function niceStep(span: number, target = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

const num = (v: number): string => (Math.round(v * 100) / 100).toString();

function panelSvg(panel: Panel, left: number, xs: readonly number[]): string {
  const all = [...panel.series.flatMap((s) => s.points.map((p) => p.y)), ...(panel.hlines ?? []).map((h) => h.y)];
  const step = niceStep(Math.max(...all, 0) * 1.08);
  const yMax = Math.max(step, Math.ceil((Math.max(...all, 0) * 1.08) / step) * step);
  const lx = xs.map((x) => Math.log2(x));
  const x0 = Math.min(...lx);
  const x1 = Math.max(...lx);
  const px = (x: number): number => left + (x1 === x0 ? PANEL_W / 2 : ((Math.log2(x) - x0) / (x1 - x0)) * PANEL_W);
  const py = (y: number): number => TOP + PANEL_H - (y / yMax) * PANEL_H;
  const out: string[] = [];
  out.push(`<g class="panel"><text x="${left + PANEL_W / 2}" y="${TOP - 16}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`);
  out.push(`<rect x="${left}" y="${TOP}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#999"/>`);
  for (let y = 0; y <= yMax + 1e-9; y += step) {
    out.push(`<line x1="${left}" x2="${left + PANEL_W}" y1="${num(py(y))}" y2="${num(py(y))}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${num(py(y) + 4)}" text-anchor="end" font-size="11">${num(y)}</text>`);
  }
  for (const x of xs) {
    out.push(`<text x="${num(px(x))}" y="${TOP + PANEL_H + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<text x="${left + PANEL_W / 2}" y="${TOP + PANEL_H + 34}" text-anchor="middle" font-size="12">shards</text>`);
  out.push(`<text transform="translate(${left - 46} ${TOP + PANEL_H / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(panel.yLabel)}</text>`);
  for (const h of panel.hlines ?? []) {
    out.push(`<line class="hline" x1="${left}" x2="${left + PANEL_W}" y1="${num(py(h.y))}" y2="${num(py(h.y))}" stroke="${h.color}" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${left + PANEL_W - 4}" y="${num(py(h.y) - 4)}" text-anchor="end" font-size="11" fill="${h.color}">${escapeXml(h.label)}</text>`);
  }
  for (const s of panel.series) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p) => `${num(px(p.x))},${num(py(p.y))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.guide === true ? ' stroke-dasharray="2 4"' : ''} points="${path}"/>`);
    if (s.guide !== true) {
      for (const p of s.points) {
        out.push(`<circle class="point" data-series="${escapeXml(s.label)}" cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.label}: ${p.x} shards, ${num(p.y)}`)}</title></circle>`);
      }
    }
  }
  out.push('</g>');
  return out.join('\n');
}

/** The two panels of the bench chart, built from the sweep medians. */
export function benchPanels(input: ChartInput): Panel[] {
  const toS = (rows: ChartInput['local']): Point[] => rows.map((r) => ({ x: r.shards, y: r.wallMs / 1000 }));
  const speed = (rows: ChartInput['local']): Point[] => {
    const one = rows.find((r) => r.shards === 1);
    return one === undefined ? [] : rows.map((r) => ({ x: r.shards, y: one.wallMs / r.wallMs }));
  };
  const deployed = input.deployed ?? [];
  const hlines: HLine[] = [];
  if (input.duckdbMs !== undefined) hlines.push({ label: 'DuckDB aggregates only (writes no profiles)', color: '#2a9d8f', y: input.duckdbMs / 1000 });
  if (input.duckdbProfilesMs !== undefined) hlines.push({ label: 'DuckDB writing the same profiles', color: '#e76f51', y: input.duckdbProfilesMs / 1000 });
  if (input.referenceMs !== undefined) hlines.push({ label: 'single-process reference', color: '#888', y: input.referenceMs / 1000 });
  const xs = [...new Set([...input.local, ...deployed].map((r) => r.shards))].sort((a, b) => a - b);
  const wall: Series[] = [{ label: 'local', color: '#1f77b4', points: toS(input.local) }];
  const up: Series[] = [{ label: 'local', color: '#1f77b4', points: speed(input.local) }];
  if (deployed.length > 0) {
    wall.push({ label: input.deployedLabel ?? 'Render', color: '#d62728', points: toS(deployed) });
    up.push({ label: input.deployedLabel ?? 'Render', color: '#d62728', points: speed(deployed) });
  }
  up.push({ label: 'ideal', color: '#aaa', guide: true, points: xs.map((x) => ({ x, y: x / (xs[0] ?? 1) })) });
  return [
    { title: 'Wall time', yLabel: 'seconds', series: wall, hlines },
    { title: 'Speed-up vs 1 shard', yLabel: '× faster', series: up },
  ];
}

/** The whole SVG document. */
export function buildChartSvg(input: ChartInput): string {
  const panels = benchPanels(input);
  const xs = [...new Set([...input.local, ...(input.deployed ?? [])].map((r) => r.shards))].sort((a, b) => a - b);
  const legend = panels
    .flatMap((p) => p.series)
    .filter((s, i, all) => all.findIndex((o) => o.label === s.label) === i);
  const legendSvg = legend
    .map((s, i) => `<g transform="translate(${70 + i * 150} ${H - 24})"><line x1="0" x2="24" y1="0" y2="0" stroke="${s.color}" stroke-width="2"${s.guide === true ? ' stroke-dasharray="2 4"' : ''}/><text x="30" y="4" font-size="12">${escapeXml(s.label)}</text></g>`)
    .join('\n');
  return [
    ...svgHead(W, H, input.title, input.subtitle),
    ...panels.map((p, i) => panelSvg(p, LEFT[i]!, xs.length > 0 ? xs : [1])),
    legendSvg,
    '</svg>',
    '',
  ].join('\n');
}
