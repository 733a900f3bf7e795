import type { ChartSpec } from './charts.js';
import { esc } from './escape.js';
import { jsForScript, jsonForScript } from './html-script.js';
import { UPLOT_CSS, UPLOT_JS } from './uplot-asset.js';

/**
 * Charts in the HTML report: each chart is a `<figure>` holding an empty host
 * element and its data as escaped JSON; uPlot, inlined once at the end of the
 * page, draws them in the browser. Without script the figures are hidden and
 * the tables beside them carry the numbers.
 */

/** Marks the JSON element of a chart; `renderHtml` adds the scripts only to a page that has one. */
export const CHART_DATA_CLASS = 'golive-chart';

/** A chart figure: title, an optional note under it, the host the script draws into and the data. */
export function chartFigure(title: string, spec: ChartSpec, note = '', wide = false): string {
  return `<figure class="chart${wide ? ' wide' : ''}"><figcaption>${esc(title)}${note ? ` <span class="chart-note">${esc(note)}</span>` : ''}</figcaption><div class="chart-host" role="img" aria-label="${esc(title)}"></div><script type="application/json" class="${CHART_DATA_CLASS}">${jsonForScript(spec)}</script></figure>`;
}

/** True when a rendered body contains at least one chart. */
export function hasCharts(body: string): boolean {
  return body.includes(`class="${CHART_DATA_CLASS}"`);
}

/** What goes into `<head>` of a page with charts: uPlot's CSS, and hiding empty chart boxes when script is off. */
export function chartHead(): string {
  return `<style>${UPLOT_CSS}</style>
<noscript><style>.chart{display:none}</style></noscript>`;
}

/** What goes at the end of `<body>` of a page with charts: uPlot and the code that draws every chart. */
export function chartScripts(): string {
  return `<script>${UPLOT_JS}</script>
<script>${jsForScript(CLIENT)}</script>`;
}

/** The chart palette and layout; `--chart-*` colours are chosen to read on light and on dark. */
export const CHART_CSS = `
:root{--chart-blue:#2b59c3;--chart-amber:#b7791f;--chart-red:#c8321f;--chart-green:#12803f;--chart-crimson:#7a0916;--chart-purple:#7c3aed;--chart-grey:#6b7280;
--chart-band:rgba(43,89,195,.07);--chart-band2:rgba(43,89,195,.14);--chart-band-bad:rgba(200,50,31,.16)}
@media (prefers-color-scheme:dark){:root{--chart-blue:#86a8ff;--chart-amber:#e8b64c;--chart-red:#ff7b70;--chart-green:#4cc38a;--chart-crimson:#ff9fb0;--chart-purple:#c4a5ff;--chart-grey:#9aa3b2;
--chart-band:rgba(134,168,255,.08);--chart-band2:rgba(134,168,255,.16);--chart-band-bad:rgba(255,123,112,.2)}}
.charts{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
.table-scroll{overflow-x:auto;margin-bottom:12px}
.table-scroll>table{margin:0}
.chart{margin:0;border:1px solid var(--line);border-radius:10px;padding:10px 12px 6px;min-width:0}
.chart.wide{grid-column:1/-1}
.chart figcaption{font-size:13px;font-weight:650;margin-bottom:6px}
.chart-note{font-weight:400;color:var(--muted);font-size:12px}
.chart-host{width:100%;min-height:240px;overflow:hidden}
.chart-error{color:var(--bad);font-size:13px}
.uplot{font-family:inherit;color:var(--ink2)}
.uplot .u-legend{font-size:12px;text-align:left;margin:2px 0 0}
.uplot .u-legend .u-marker{width:14px;height:3px;margin-top:-2px}
.uplot .u-series>*{padding:2px 6px 2px 0}
.uplot .u-legend .u-value{font-variant-numeric:tabular-nums;color:var(--ink)}
.uplot .u-select{background:color-mix(in srgb,var(--accent) 14%,transparent)}
.uplot:not(:hover) .u-legend .u-series:first-child{display:none}
.uplot:not(:hover) .u-legend.u-live th::after{content:none}
.uplot:not(:hover) .u-legend .u-value{display:none}
.uplot .u-cursor-x,.uplot .u-cursor-y{border-color:var(--muted)!important}
.not-corrected{background:var(--warn-bg);color:var(--warn)}
@media (max-width:900px){.charts{grid-template-columns:minmax(0,1fr)}}
@media print{.chart{break-inside:avoid}.uplot .u-legend{font-size:10px}
.chart-host .uplot,.chart-host .u-wrap,.chart-host .u-wrap canvas{width:100%!important;height:auto!important}
.chart-host .u-over,.chart-host .u-under{display:none}}
`;

/**
 * The browser side, plain ES2017 with no dependency but the global `uPlot`.
 * It reads every `script.golive-chart`, builds the uPlot options from the
 * spec (axis units, the percentile axis of a spectrum, drill phases as bands
 * drawn under the series), takes colours from the page's CSS variables so the
 * charts follow light and dark, and redraws on resize and scheme change.
 */
const CLIENT = String.raw`(function () {
  'use strict';
  if (typeof uPlot !== 'function') return;
  var HEIGHT = 240;
  var WHOLE = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 5e5, 1e6];
  var SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];
  var charts = [];

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }
  function group(s) { return s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009'); }
  function num(v) {
    if (v == null || !isFinite(v)) return '';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 100) return group(String(Math.round(v)));
    if (a >= 10) return String(Math.round(v * 10) / 10);
    if (a >= 1) return String(Math.round(v * 100) / 100);
    return String(Math.round(v * 1000) / 1000);
  }
  // x = 1/(1-p): 2 → 50 %, 10 → 90 %, 1000 → 99.9 %.
  function pct(x) {
    if (x == null) return '';
    if (!(x > 1)) return '0%';
    var p = 100 * (1 - 1 / x);
    var d = Math.min(6, Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2));
    return p.toFixed(d).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') + '%';
  }
  function zeroBased(headroom) {
    return function (u, min, max) { return [0, max > 0 ? max * headroom : 1]; };
  }

  function options(spec, width) {
    var ink = cssVar('--muted', '#697586');
    var line = cssVar('--line', '#e4e8ee');
    var font = '11px ' + getComputedStyle(document.body).fontFamily;
    var labelFont = '600 11px ' + getComputedStyle(document.body).fontFamily;
    function axis(extra) {
      var a = { stroke: ink, font: font, labelFont: labelFont, labelSize: 18, size: 48,
        grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1, size: 4 } };
      for (var k in extra) a[k] = extra[k];
      return a;
    }
    var spectrum = spec.kind === 'spectrum';
    var xMax = spec.x.length ? spec.x[spec.x.length - 1] : 1;
    var series = [{
      label: spectrum ? 'percentile' : 'at',
      value: function (u, v) { return v == null ? '' : spectrum ? pct(v) : num(v) + ' s'; }
    }];
    var hasRight = false;
    // Requests and errors per second are counts: no tick at 0.5 of a request, nor at 2.5 s.
    function counts(scale) {
      return spec.series.every(function (s) { return (s.right ? 'r' : 'y') !== scale || s.unit !== 'ms'; });
    }
    spec.series.forEach(function (s) {
      if (s.right) hasRight = true;
      series.push({
        label: s.label,
        stroke: cssVar('--chart-' + s.color, '#888'),
        width: 1.75,
        dash: s.dash ? [6, 4] : undefined,
        scale: s.right ? 'r' : 'y',
        spanGaps: spectrum,
        points: { show: spec.x.length <= 12, size: 5 },
        value: function (u, v) { return v == null ? '' : num(v) + ' ' + s.unit; }
      });
    });
    var axes = [
      axis(spectrum ? {
        label: 'percentile (log scale of 1/(1−p))',
        splits: function (u) {
          var out = [], min = u.scales.x.min, max = u.scales.x.max;
          [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].forEach(function (x) { if (x >= min && x <= max) out.push(x); });
          return out;
        },
        // uPlot's log axes blank every split but the powers of ten by default; 50 % is wanted too.
        filter: function (u, splits) { return splits; },
        values: function (u, splits) { return splits.map(pct); },
        size: 34
      } : {
        label: spec.xLabel,
        size: 34,
        incrs: SECONDS,
        values: function (u, splits) { return splits.map(function (v) { return num(v) + ' s'; }); }
      }),
      axis({ label: spec.yLabel, scale: 'y', incrs: counts('y') ? WHOLE : undefined,
        values: function (u, splits) { return splits.map(num); } })
    ];
    if (hasRight) axes.push(axis({ label: spec.rightLabel || '', scale: 'r', side: 1, grid: { show: false },
      incrs: counts('r') ? WHOLE : undefined, values: function (u, splits) { return splits.map(num); } }));
    var scales = {
      x: spectrum ? { time: false, distr: 3, log: 10, range: function () { return [1, Math.max(xMax, 10)]; } } : { time: false },
      // Phase labels sit along the top of a drill chart: leave them room above the lines.
      y: { range: zeroBased(spec.bands && spec.bands.length ? 1.3 : 1.1) },
      r: { range: zeroBased(spec.bands && spec.bands.length ? 1.3 : 1.1) }
    };
    return {
      width: width, height: HEIGHT, series: series, axes: axes, scales: scales,
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      hooks: { drawClear: [function (u) { drawBands(u, spec); }], draw: [function (u) { drawMarkers(u, spec); }] }
    };
  }

  function drawBands(u, spec) {
    if (!spec.bands || !spec.bands.length) return;
    var ctx = u.ctx, b = u.bbox, dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.font = (11 * dpr) + 'px ' + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = 'top';
    spec.bands.forEach(function (band, i) {
      var x0 = Math.max(b.left, u.valToPos(band.from, 'x', true));
      var x1 = Math.min(b.left + b.width, u.valToPos(band.to, 'x', true));
      if (!(x1 > x0)) return;
      ctx.fillStyle = band.ok ? cssVar(i % 2 ? '--chart-band2' : '--chart-band', 'rgba(0,0,0,.06)') : cssVar('--chart-band-bad', 'rgba(200,0,0,.15)');
      ctx.fillRect(x0, b.top, x1 - x0, b.height);
      ctx.fillStyle = band.ok ? cssVar('--muted', '#555') : cssVar('--bad', '#b42318');
      var text = band.label + (band.ok ? '' : ' ✗');
      if (ctx.measureText(text).width < x1 - x0 - 6 * dpr) ctx.fillText(text, x0 + 4 * dpr, b.top + 4 * dpr);
    });
    ctx.restore();
  }

  function drawMarkers(u, spec) {
    if (!spec.markers || !spec.markers.length) return;
    var ctx = u.ctx, b = u.bbox, dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = cssVar('--ink2', '#333');
    ctx.fillStyle = cssVar('--ink2', '#333');
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.lineWidth = dpr;
    ctx.font = '600 ' + (11 * dpr) + 'px ' + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = 'bottom';
    spec.markers.forEach(function (m) {
      var x = Math.round(u.valToPos(m.at, 'x', true));
      if (x < b.left || x > b.left + b.width) return;
      ctx.beginPath();
      ctx.moveTo(x, b.top);
      ctx.lineTo(x, b.top + b.height);
      ctx.stroke();
      ctx.fillText(m.label, x + 4 * dpr, b.top + b.height - 4 * dpr);
    });
    ctx.restore();
  }

  function build(entry) {
    entry.host.textContent = '';
    var width = Math.max(240, entry.host.clientWidth);
    var data = [entry.spec.x].concat(entry.spec.series.map(function (s) { return s.values; }));
    entry.plot = new uPlot(options(entry.spec, width), data, entry.host);
  }

  Array.prototype.forEach.call(document.querySelectorAll('script.golive-chart'), function (el) {
    var host = el.parentNode.querySelector('.chart-host');
    if (!host) return;
    var entry = { host: host, spec: null, plot: null };
    try {
      entry.spec = JSON.parse(el.textContent);
      build(entry);
      charts.push(entry);
    } catch (e) {
      host.innerHTML = '';
      var p = document.createElement('p');
      p.className = 'chart-error';
      p.textContent = 'This chart could not be drawn: ' + (e && e.message ? e.message : e);
      host.appendChild(p);
      console.error(e);
    }
  });

  function resize() {
    charts.forEach(function (c) {
      var w = Math.max(240, c.host.clientWidth);
      if (c.plot && c.plot.width !== w) c.plot.setSize({ width: w, height: HEIGHT });
    });
  }
  function rebuild() {
    charts.forEach(function (c) { if (c.plot) c.plot.destroy(); build(c); });
  }
  var timer = 0;
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(resize, 100); });
  window.addEventListener('beforeprint', resize);
  if (window.matchMedia) {
    var mq = window.matchMedia('(prefers-color-scheme: dark)');
    if (mq.addEventListener) mq.addEventListener('change', rebuild);
  }
})();
`;
