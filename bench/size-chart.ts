/**
 * The size sweep's chart, a hand-written SVG: wall time and peak memory (largest process) against
 * the number of customers, both axes on log scales (decades), one line per case. Pure string
 * building, deterministic, unit-tested.
 */
import { escapeXml, svgHead } from './chart.js';

export interface SizeSeries {
  /** The case, with what it does. */
  readonly label: string;
  /** customers → value (missing sizes, e.g. a case that did not fit, are left out). */
  readonly points: readonly { readonly customers: number; readonly value: number }[];
}

export interface SizeChartInput {
  readonly title: string;
  readonly subtitle: string;
  readonly wall: readonly SizeSeries[];
  readonly memory: readonly SizeSeries[];
}

const COLORS = ['#2a9d8f', '#e76f51', '#1f77b4', '#9467bd', '#8c564b', '#d62728', '#7f7f7f', '#bcbd22'];
const W = 1040;
const PANEL_W = 420;
const PANEL_H = 300;
const TOP = 80;
const LEFT = [80, 590];

const num = (v: number): string => (Math.round(v * 100) / 100).toString();

/** The powers of ten covering [lo, hi] (at least one decade). */
export function decades(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  let b = Math.ceil(Math.log10(hi));
  if (b <= a) b = a + 1;
  const out: number[] = [];
  for (let e = a; e <= b; e++) out.push(10 ** e);
  return out;
}

const short = (v: number): string => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : `${v}`);

function panel(title: string, yLabel: string, series: readonly SizeSeries[], left: number): string {
  const xsAll = series.flatMap((s) => s.points.map((p) => p.customers));
  const ysAll = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v > 0);
  const xt = decades(Math.min(...xsAll, 1e5), Math.max(...xsAll, 1e5));
  const yt = decades(Math.min(...ysAll, 1), Math.max(...ysAll, 1));
  const lx0 = Math.log10(xt[0]!);
  const lx1 = Math.log10(xt[xt.length - 1]!);
  const ly0 = Math.log10(yt[0]!);
  const ly1 = Math.log10(yt[yt.length - 1]!);
  const px = (x: number): number => left + ((Math.log10(x) - lx0) / (lx1 - lx0)) * PANEL_W;
  const py = (y: number): number => TOP + PANEL_H - ((Math.log10(y) - ly0) / (ly1 - ly0)) * PANEL_H;
  const out = [`<g class="panel" data-scale="log"><text x="${left + PANEL_W / 2}" y="${TOP - 16}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`];
  out.push(`<rect x="${left}" y="${TOP}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#999"/>`);
  for (const y of yt) {
    out.push(`<line class="ytick" x1="${left}" x2="${left + PANEL_W}" y1="${num(py(y))}" y2="${num(py(y))}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${num(py(y) + 4)}" text-anchor="end" font-size="11">${short(y)}</text>`);
  }
  for (const x of xt) {
    out.push(`<line class="xtick" x1="${num(px(x))}" x2="${num(px(x))}" y1="${TOP}" y2="${TOP + PANEL_H}" stroke="#eee"/>`);
    out.push(`<text x="${num(px(x))}" y="${TOP + PANEL_H + 16}" text-anchor="middle" font-size="11">${short(x)}</text>`);
  }
  out.push(`<text x="${left + PANEL_W / 2}" y="${TOP + PANEL_H + 34}" text-anchor="middle" font-size="12">customers (log scale)</text>`);
  out.push(`<text transform="translate(${left - 52} ${TOP + PANEL_H / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = [...s.points].filter((p) => p.value > 0).sort((a, b) => a.customers - b.customers);
    if (pts.length === 0) return;
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${num(px(p.customers))},${num(py(p.value))}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle class="point" data-series="${escapeXml(s.label)}" cx="${num(px(p.customers))}" cy="${num(py(p.value))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.label}: ${p.customers} customers, ${num(p.value)}`)}</title></circle>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** The whole SVG document. */
export function buildSizeChartSvg(input: SizeChartInput): string {
  const labels = [...new Set([...input.wall, ...input.memory].map((s) => s.label))];
  const legendTop = TOP + PANEL_H + 56;
  const H = legendTop + labels.length * 18 + 12;
  // One colour per case in both panels: series are coloured by their place in `labels`.
  const ordered = (series: readonly SizeSeries[]): SizeSeries[] => labels.map((l) => series.find((s) => s.label === l) ?? { label: l, points: [] });
  const legend = labels.map((l, i) => `<g transform="translate(80 ${legendTop + i * 18})"><line x1="0" x2="24" y1="0" y2="0" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/><text x="30" y="4" font-size="12">${escapeXml(l)}</text></g>`);
  return [
    ...svgHead(W, H, input.title, input.subtitle),
    panel('Wall time', 'seconds (log scale)', ordered(input.wall), LEFT[0]!),
    panel('Peak memory, largest process', 'MiB (log scale)', ordered(input.memory), LEFT[1]!),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
