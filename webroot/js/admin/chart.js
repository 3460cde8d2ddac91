// A small line chart of one series (one point a minute over the last hour) in inline SVG:
// no library, no markup from strings. The figure is described in words for screen readers.

const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 64;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * values: numbers, oldest first. summary: the words under the title ("412 in the hour").
 * Returns a <figure> holding the title, the drawing and a time axis.
 */
export function lineChart({ key, title, values, summary, intervalSeconds = 60 }) {
  const points = (values || []).map((v) => Math.max(0, Number(v) || 0));
  const peak = points.length ? Math.max(...points) : 0;
  const max = Math.max(1, peak);
  const step = points.length > 1 ? W / (points.length - 1) : W;
  const y = (v) => (H - 2 - (v / max) * (H - 6)).toFixed(1);
  const coords = points.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`);

  const drawing = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart-svg', role: 'img', 'aria-label': `${title}: ${summary}`,
  });
  drawing.append(svg('line', { x1: 0, y1: H - 1, x2: W, y2: H - 1, class: 'chart-base', 'vector-effect': 'non-scaling-stroke' }));
  if (points.length > 1) {
    drawing.append(svg('polygon', { points: `0,${H} ${coords.join(' ')} ${W},${H}`, class: 'chart-area' }));
    drawing.append(svg('polyline', { points: coords.join(' '), class: 'chart-line', 'vector-effect': 'non-scaling-stroke' }));
  }

  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.dataset.testid = 'server-series';
  figure.dataset.series = key;
  figure.dataset.points = String(points.length);
  const caption = document.createElement('figcaption');
  const name = document.createElement('strong');
  name.textContent = title;
  const words = document.createElement('span');
  words.className = 'hint';
  words.textContent = summary;
  caption.append(name, words);

  const axis = document.createElement('div');
  axis.className = 'chart-axis';
  axis.setAttribute('aria-hidden', 'true');
  const span = Math.max(0, points.length - 1) * intervalSeconds;
  const start = span >= 120 ? `${Math.round(span / 60)} min ago` : span ? `${span} s ago` : '';
  for (const text of [start, `peak ${fmt(peak)}`, 'now']) {
    const tick = document.createElement('span');
    tick.textContent = text;
    axis.append(tick);
  }
  figure.append(caption, drawing, axis);
  return figure;
}

const numberFmt = new Intl.NumberFormat();
export const fmt = (n) => numberFmt.format(Math.round(Number(n) || 0));
