/** Inline SVG charts for the Load tab (no chart library: the CSP allows no other origin); colours come from CSS classes. */
import type { WaitsByType } from '../src/protocol/probe.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 150;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: Array<SVGElement | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** 1, 2, 5 × 10^k just above `max`, so axis labels are round numbers. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

const fmt = (n: number): string =>
  n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : n >= 10 ? n.toFixed(0) : n.toFixed(n >= 1 ? 1 : 2);

/** Frame: axes, a top gridline with the maximum, and the x extent (seconds, unless `xLabel` says otherwise). */
function frame(title: string, summary: string, yMax: number, seconds: number, unit: string, xLabel = `${seconds} s`): SVGSVGElement {
  const root = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `${title}: ${summary}` },
    svg('title', {}, `${title}: ${summary}`),
  );
  const x0 = PAD.left;
  const y0 = H - PAD.bottom;
  root.append(
    svg('line', { x1: x0, y1: PAD.top, x2: W - PAD.right, y2: PAD.top, class: 'grid' }),
    svg('line', { x1: x0, y1: (PAD.top + y0) / 2, x2: W - PAD.right, y2: (PAD.top + y0) / 2, class: 'grid' }),
    svg('line', { x1: x0, y1: y0, x2: W - PAD.right, y2: y0, class: 'axis' }),
    svg('text', { x: x0 - 4, y: PAD.top + 4, class: 'tick', 'text-anchor': 'end' }, `${fmt(yMax)}${unit}`),
    svg('text', { x: x0 - 4, y: (PAD.top + y0) / 2 + 4, class: 'tick', 'text-anchor': 'end' }, fmt(yMax / 2)),
    svg('text', { x: x0 - 4, y: y0 + 4, class: 'tick', 'text-anchor': 'end' }, '0'),
    svg('text', { x: W - PAD.right, y: H - 6, class: 'tick', 'text-anchor': 'end' }, xLabel),
  );
  return root;
}

const xOf = (i: number, n: number): number => PAD.left + ((W - PAD.left - PAD.right) * (i + 0.5)) / Math.max(1, n);
const yOf = (v: number, max: number): number => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * Math.min(v, max)) / max;

export interface Series {
  name: string;
  /** CSS class giving the stroke colour: series-tps, series-p50… */
  className: string;
  values: number[];
}

export interface Reference {
  name: string;
  className: string;
  value: number;
}

/** Lines per second, plus horizontal reference lines (the whole run's p50/p95/p99). */
export function lineChart(
  title: string,
  unit: string,
  series: Series[],
  references: Reference[] = [],
  secondsHint = 0,
  xLabel?: string,
): SVGSVGElement {
  const seconds = Math.max(secondsHint, ...series.map((s) => s.values.length), 1);
  const yMax = niceMax(Math.max(...series.flatMap((s) => s.values), ...references.map((r) => r.value), 0));
  const last = series[0]?.values[series[0].values.length - 1];
  const summary = [
    ...series.map((s) => `${s.name} last ${fmt(s.values[s.values.length - 1] ?? 0)}${unit}`),
    ...references.map((r) => `${r.name} ${fmt(r.value)}${unit}`),
  ].join(', ');
  const root = frame(title, last === undefined && references.length === 0 ? 'no data yet' : summary, yMax, seconds, unit, xLabel);
  for (const r of references) {
    const y = yOf(r.value, yMax);
    root.append(
      svg('line', { x1: PAD.left, y1: y, x2: W - PAD.right, y2: y, class: `ref ${r.className}` }),
      svg('text', { x: W - PAD.right - 2, y: y - 3, class: `ref-label ${r.className}`, 'text-anchor': 'end' }, r.name),
    );
  }
  for (const s of series) {
    if (s.values.length === 0) continue;
    const points = s.values.map((v, i) => `${xOf(i, seconds).toFixed(1)},${yOf(v, yMax).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points, class: `line ${s.className}`, 'data-series': s.name }));
    for (const [i, v] of s.values.entries())
      root.append(svg('circle', { cx: xOf(i, seconds).toFixed(1), cy: yOf(v, yMax).toFixed(1), r: 2, class: `dot ${s.className}` }));
  }
  return root;
}

/** Stack order, bottom to top, with labels: the categories the issue names first. */
export const WAIT_KEYS: Array<{ key: keyof WaitsByType; label: string }> = [
  { key: 'LockManager', label: 'LWLock:LockManager' },
  { key: 'Lock', label: 'Lock:*' },
  { key: 'SubtransSLRU', label: 'LWLock:SubtransSLRU' },
  { key: 'IO', label: 'IO' },
  { key: 'CPU', label: 'CPU' },
  { key: 'Client', label: 'Client' },
  { key: 'Other', label: 'Other' },
];

/** Stacked bars per second: average active probe sessions by wait category. */
export function waitChart(title: string, timeline: WaitsByType[], secondsHint = 0, xLabel?: string, pointLabel = 's'): SVGSVGElement {
  const seconds = Math.max(secondsHint, timeline.length, 1);
  const totals = timeline.map((w) => WAIT_KEYS.reduce((sum, k) => sum + w[k.key], 0));
  const yMax = niceMax(Math.max(0, ...totals));
  const overall = WAIT_KEYS.map((k) => ({
    label: k.label,
    sum: timeline.reduce((s, w) => s + w[k.key], 0) / Math.max(1, timeline.length),
  })).filter((k) => k.sum > 0);
  const summary = overall.length === 0 ? 'no active sessions sampled' : overall.map((k) => `${k.label} ${fmt(k.sum)}`).join(', ');
  const root = frame(title, summary, yMax, seconds, '', xLabel);
  const band = (W - PAD.left - PAD.right) / seconds;
  for (const [i, w] of timeline.entries()) {
    let base = 0;
    for (const k of WAIT_KEYS) {
      const v = w[k.key];
      if (v <= 0) continue;
      const top = yOf(base + v, yMax);
      const rect = svg('rect', {
        x: (PAD.left + band * i + band * 0.15).toFixed(1),
        y: top.toFixed(1),
        width: (band * 0.7).toFixed(1),
        height: Math.max(0.5, yOf(base, yMax) - top).toFixed(1),
        class: `wait wait-${k.key}`,
        'data-wait': k.key,
      });
      rect.append(svg('title', {}, `${pointLabel === 's' ? `${i + 1} s` : `${pointLabel} ${i + 1}`} · ${k.label}: ${fmt(v)} sessions`));
      root.append(rect);
      base += v;
    }
  }
  return root;
}

/** The colour key shared by every wait chart. */
export function waitLegend(): HTMLElement {
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const k of WAIT_KEYS) {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const swatch = svg(
      'svg',
      { viewBox: '0 0 10 10', class: 'swatch', 'aria-hidden': 'true' },
      svg('rect', { x: 0, y: 0, width: 10, height: 10, class: `wait wait-${k.key}` }),
    );
    item.append(swatch, k.label);
    legend.append(item);
  }
  return legend;
}
