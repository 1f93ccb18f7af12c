/** The Live Activity history: waits by type, sessions by state and relation locks held, one bar or point per sample. */
import { SESSION_STATES, type ActivityPoint } from '../src/core/activity/history.js';
import { h } from './dom.js';
import { lineChart, waitChart, waitLegend } from './probe-charts.js';

const STATE_CLASSES: Record<(typeof SESSION_STATES)[number], string> = {
  active: 'series-tps',
  'idle in transaction': 'series-p99',
  'idle in transaction (aborted)': 'series-p95',
  idle: 'series-mean',
  other: 'series-p50',
};

const span = (points: readonly ActivityPoint[]): string => {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return 'no samples yet';
  const seconds = (Date.parse(last.takenAt) - Date.parse(first.takenAt)) / 1000;
  return seconds < 120 ? `last ${Math.round(seconds)} s` : `last ${Math.round(seconds / 60)} min`;
};

const SVG = 'http://www.w3.org/2000/svg';

/** A line-series key: a short stroke in the series' colour and its name. */
function legend(names: Array<[string, string]>): HTMLElement {
  return h(
    'div',
    { className: 'legend' },
    ...names.map(([name, cls]) => {
      const swatch = document.createElementNS(SVG, 'svg');
      swatch.setAttribute('viewBox', '0 0 14 10');
      swatch.setAttribute('class', 'swatch swatch-line');
      swatch.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS(SVG, 'line');
      for (const [k, v] of Object.entries({ x1: 0, y1: 5, x2: 14, y2: 5, class: cls })) line.setAttribute(k, String(v));
      swatch.append(line);
      return h('span', { className: 'legend-item' }, swatch, name);
    }),
  );
}

function figure(title: string, chart: Element, ...extra: Element[]): HTMLElement {
  return h('figure', { className: 'chart-box' }, h('figcaption', { className: 'chart-title' }, title), chart, ...extra);
}

export function renderHistory(root: HTMLElement, points: readonly ActivityPoint[], windowSeconds: number): void {
  const label = `${span(points)} of ${Math.round(windowSeconds / 60)} min`;
  const waits = waitChart(
    'Active sessions by wait',
    points.map((p) => p.waits),
    0,
    label,
    'sample',
  );
  const states = lineChart(
    'Sessions by state',
    '',
    SESSION_STATES.filter((s) => s === 'active' || s === 'idle' || points.some((p) => p.states[s] > 0)).map((s) => ({
      name: s,
      className: STATE_CLASSES[s],
      values: points.map((p) => p.states[s]),
    })),
    [],
    0,
    label,
  );
  const locks = lineChart(
    'Relation locks held',
    '',
    [
      { name: 'slow-path', className: 'series-p99', values: points.map((p) => p.slowPathLocks) },
      { name: 'all', className: 'series-tps', values: points.map((p) => p.relationLocks) },
    ],
    [],
    0,
    label,
  );
  root.replaceChildren(
    h(
      'div',
      { className: 'charts', attrs: { id: 'history-charts' } },
      figure('Active sessions by wait', waits, waitLegend()),
      figure(
        'Sessions by state',
        states,
        legend(
          SESSION_STATES.filter((s) => s === 'active' || s === 'idle' || points.some((p) => p.states[s] > 0)).map((s) => [
            s,
            STATE_CLASSES[s],
          ]),
        ),
      ),
      figure(
        'Relation locks held',
        locks,
        legend([
          ['slow-path', 'series-p99'],
          ['all', 'series-tps'],
        ]),
      ),
    ),
  );
}
