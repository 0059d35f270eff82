// Pure helpers of the dashboard's drawings, no page changes: the timeline's axis ticks, labels wrapped to a width,
// a tier's counts. Plain global functions, so that DashboardIT can call them in the browser with durations and labels
// no run of its own produces.
'use strict';

const DAY_MS = 86400000;
/** Steps the timeline's axis may use, in ms: round values a reader counts in. */
const TICK_STEPS_MS = [100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000,
  1800000, 3600000, 7200000, 10800000, 21600000, 43200000, DAY_MS];

/**
 * The timeline's axis for a run of totalMs: the smallest round step that needs at most maxTicks intervals, a tick at
 * each multiple, the axis ending on the first tick at or after the end. Every tick is a whole number of steps and
 * each label is as precise as the step, so no two labels read the same, at any duration.
 */
function axisTicks(totalMs, maxTicks) {
  const total = Math.max(1, totalMs);
  const step = TICK_STEPS_MS.find((st) => Math.ceil(total / st) <= maxTicks) || Math.ceil(total / maxTicks / DAY_MS) * DAY_MS;
  const n = Math.ceil(total / step);
  const ticks = [];
  for (let i = 0; i <= n; i++) ticks.push({ ms: i * step, label: tickLabel(i * step, step) });
  return { endMs: n * step, stepMs: step, ticks };
}

/** "0.4 s", "45 s", "1 min 15 s", "20 min", "2 h 30 min": a tick's time with the precision its step needs. */
function tickLabel(ms, step) {
  if (ms === 0) return '0 s';
  if (step < 1000) return Math.round(ms / 100) / 10 + ' s';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (step < 60000) return m + ' min' + (s % 60 ? ` ${s % 60} s` : '');
  if (m < 60) return m + ' min';
  return Math.floor(m / 60) + ' h' + (m % 60 ? ` ${m % 60} min` : '');
}

/**
 * A label broken into lines at most maxWidth wide (by measure), on spaces; a word wider than a line is split with a
 * hyphen. Beyond maxLines the last line kept ends with "…" after a whole word: the reader sees the label goes on
 * (the caller puts the full text in a title and the accessible name). Returns { lines, cut }.
 */
function wrapText(text, maxWidth, maxLines, measure) {
  const lines = [];
  let line = '';
  for (let word of String(text).split(/\s+/).filter(Boolean)) {
    while (measure(word) > maxWidth && word.length > 1) {
      let k = word.length - 1;
      while (k > 1 && measure(word.slice(0, k) + '-') > maxWidth) k--;
      if (line) lines.push(line);
      lines.push(word.slice(0, k) + '-');
      line = '';
      word = word.slice(k);
    }
    const longer = line ? line + ' ' + word : word;
    if (!line || measure(longer) <= maxWidth) line = longer;
    else { lines.push(line); line = word; }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return { lines, cut: false };
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (measure(last + ' …') > maxWidth && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
  while (measure(last + ' …') > maxWidth && last.length > 1) last = last.slice(0, -1); // one hyphenated piece: "…" says so
  kept[maxLines - 1] = last + ' …';
  return { lines: kept, cut: true };
}

/** A measure(text) → px for this font size in the page's font, on a canvas: no layout of the page is involved. */
const measurers = new Map();
function textWidth(px) {
  if (!measurers.has(px)) {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${px}px system-ui, sans-serif`;
    measurers.set(px, (text) => ctx.measureText(text).width);
  }
  return measurers.get(px);
}

/** How a tier's phases are counted where they are too many to show one by one: the words and the statuses in each. */
const COUNTED = [['completed', ['completed']], ['running', ['in_progress', 'ready']],
  ['waiting', ['waiting_for_approval', 'waiting_for_review', 'waiting_for_intervention']], ['failed', ['failed']], ['skipped', ['skipped']],
  ['pending', ['pending']], ['cancelled', ['cancelled']]];

/** [[word, n], …] for these phase ids, in COUNTED's order, zeros left out. */
function tierCounts(phases, ids) {
  const byStatus = {};
  for (const id of ids) {
    const p = phases[id];
    if (p) byStatus[p.status] = (byStatus[p.status] || 0) + 1;
  }
  return COUNTED.map(([word, statuses]) => [word, statuses.reduce((n, st) => n + (byStatus[st] || 0), 0)])
    .filter(([, n]) => n > 0);
}

/** "812 completed · 150 running · 38 waiting" */
function countsText(counts) {
  return counts.map(([word, n]) => `${n.toLocaleString('en')} ${word}`).join(' · ');
}
