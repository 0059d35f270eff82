// The "Execution Progress" view: one execution's state from the monitor's REST API, redrawn on every change pushed
// over Server-Sent Events. Plan text reaches the page only through textContent (never innerHTML): a phase name is data.
'use strict';

const STATUSES = ['completed', 'in_progress', 'ready', 'failed', 'waiting_for_intervention', 'waiting_for_approval',
  'skipped', 'cancelled', 'pending'];
const DARK_TEXT = new Set(['pending', 'ready', 'waiting_for_approval']);
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

let config = { commands_url: null };
let current = null;       // execution id shown
let state = null;         // its last state
let lastSeq = 0;          // last log entry shown
let stream = null;        // AbortController of the open stream

// ---- small DOM helpers ------------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
const colour = (s) => getComputedStyle(document.documentElement).getPropertyValue('--' + s).trim() || '#ccc';
const words = (s) => String(s || '').replace(/_/g, ' ');
const clock = (iso) => iso ? new Date(iso).toLocaleTimeString() : '—';
function span(seconds) {
  if (seconds == null) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s'
    : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}
function authHeaders() {
  const t = sessionStorage.getItem('oe-token');
  return t ? { Authorization: 'Bearer ' + t } : {};
}

// ---- data ---------------------------------------------------------------------------------------------------------
// While the monitor starts, rebalances or restores its views it answers 503 with Retry-After: the page waits and asks
// again (saying so), for up to this long per request, then reports the error instead of waiting on.
const NOT_READY_PATIENCE_MS = 120000;
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** Milliseconds the answer asks to wait (Retry-After: seconds or an HTTP date), 2 s if it does not say, at most 30 s. */
function retryAfterMs(r) {
  const header = r.headers.get('Retry-After') || '';
  const seconds = Number(header);
  const ms = header.trim() !== '' && Number.isFinite(seconds) ? seconds * 1000
    : Number.isFinite(Date.parse(header)) ? Date.parse(header) - Date.now() : 2000;
  return Math.min(Math.max(ms, 0), 30000);
}

async function getJson(path) {
  const since = Date.now();
  for (;;) {
    const r = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders() } });
    if (r.status === 503 && Date.now() - since < NOT_READY_PATIENCE_MS) {
      const wait = retryAfterMs(r);
      live('catching up', `the monitor is restoring its views; asking again in ${Math.round(wait / 1000)} s`);
      await sleep(wait);
      continue;
    }
    if (r.status === 401) askToken('reading needs the API token');
    if (!r.ok) {
      throw new Error(path + ': HTTP ' + r.status + (r.status === 503 ? ` (still not ready after ${NOT_READY_PATIENCE_MS / 1000} s)` : ''));
    }
    return r.json();
  }
}

/** SSE over fetch (EventSource cannot send the bearer token reads may need); reconnects until aborted. */
async function listen(path, onData, ctl) {
  let delay = 500;
  while (!ctl.signal.aborted) {
    try {
      const r = await fetch(path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal: ctl.signal });
      if (r.status === 503) { // not ready yet: wait as long as the monitor asks, then connect again
        const wait = retryAfterMs(r);
        live('catching up', `the monitor is restoring its views; connecting again in ${Math.round(wait / 1000)} s`);
        await sleep(wait);
        continue;
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      live(true);
      delay = 500;
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (data) onData(JSON.parse(data));
        }
      }
    } catch (e) {
      if (ctl.signal.aborted) return;
    }
    live(false);
    await sleep(delay);
    delay = Math.min(delay * 2, 10000);
  }
}
/** A read that failed (after waiting through "not ready" answers): the badge says so, its tooltip why. */
function unavailable(e) {
  live('monitor unavailable', e.message);
}
/** The connection badge: true (live), false (reconnecting), or a word of its own with a tooltip saying why. */
function live(on, why) {
  $('live').textContent = on === true ? 'live' : on === false ? 'reconnecting' : on;
  $('live').title = why || 'live updates over Server-Sent Events';
  $('live').classList.toggle('off', on !== true);
}

async function loadList() {
  const list = await getJson('api/v1/executions');
  const sel = $('executions');
  const keep = current;
  sel.replaceChildren(...list.map((s) => el('option', { value: s.execution_id }, optionText(s))));
  const wanted = decodeURIComponent(location.hash.slice(1)) || keep
    || (list.find((s) => s.status === 'in_progress') || list[0] || {}).execution_id;
  if (wanted && list.some((s) => s.execution_id === wanted)) sel.value = wanted;
  return sel.value || wanted || null;
}

function optionText(s) {
  return `${s.orchestration_plan_id} · ${s.execution_id} · ${words(s.status)} (${s.phases_completed}/${s.phases_total})`;
}

function show(id) {
  if (!id) { $('empty').hidden = false; $('view').hidden = true; return; }
  if (id === current && stream) return;
  if (stream) stream.abort();
  current = id;
  state = null;
  lastSeq = 0;
  $('events').replaceChildren();
  $('command-result').textContent = '';
  history.replaceState(null, '', '#' + encodeURIComponent(id));
  $('executions').value = id;
  stream = new AbortController();
  listen('api/v1/executions/' + encodeURIComponent(id) + '/stream', (s) => { state = s; render(s); loadEvents().catch(unavailable); }, stream);
}

async function loadEvents() {
  const id = current;
  const page = await getJson(`api/v1/executions/${encodeURIComponent(id)}/log?from=${lastSeq + 1}&limit=200`);
  if (id !== current) return;
  const list = $('events');
  for (const e of page.entries) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    list.prepend(el('li', { 'data-type': e.type }, el('time', {}, clock(e.at)), e.message));
  }
  while (list.children.length > 60) list.lastChild.remove();
}

// ---- rendering ----------------------------------------------------------------------------------------------------
function render(s) {
  $('empty').hidden = true;
  $('view').hidden = false;
  $('plan').textContent = s.orchestration_plan_id;
  const badge = $('status');
  badge.textContent = words(s.status);
  badge.className = 'badge s-' + s.status;
  badge.dataset.status = s.status;
  $('project').textContent = s.project_name;
  $('execution-id').textContent = s.execution_id;
  $('started').textContent = s.start_time ? new Date(s.start_time).toLocaleString() : 'not started';
  $('duration').textContent = span(s.duration_seconds);
  const phases = Object.values(s.phases);
  const done = phases.filter((p) => p.status === 'completed' || p.status === 'skipped').length;
  $('phases-done').textContent = `${done} of ${phases.length} ended`;
  renderEta(s);
  renderTiers(s);
  renderGraph(s);
  renderCurrent(s);
  renderWaiting(s);
  renderGantt(s);
  renderAlerts(s);
  renderExecutionActions(s);
  $('report-link').href = `api/v1/executions/${encodeURIComponent(s.execution_id)}/report?format=html`;
  $('log-link').href = `api/v1/executions/${encodeURIComponent(s.execution_id)}/log`;
}

function renderEta(s) {
  const eta = s.eta || {};
  const e = $('eta');
  e.title = eta.basis || '';
  if (['completed', 'failed', 'cancelled'].includes(s.status)) e.textContent = 'ended ' + clock(s.end_time);
  else if (eta.estimated_end) e.textContent = `~${clock(eta.estimated_end)} (${span(eta.remaining_seconds)} left)`;
  else e.textContent = 'unknown until a phase completes';
}

function bar(counts, total) {
  const b = el('div', { class: 'bar' });
  for (const [status, n] of counts) {
    if (!n) continue;
    const part = el('span', { class: 's-' + status, title: `${n} ${words(status)}` });
    part.style.width = (100 * n / Math.max(1, total)) + '%';
    b.append(part);
  }
  return b;
}

function renderTiers(s) {
  $('tiers').replaceChildren(...s.tiers.map((t, i) => {
    const total = t.phases.length;
    const enabled = t.phases.filter((id) => s.phases[id] && s.phases[id].status === 'ready').length;
    const text = `${t.completed + t.skipped}/${total}` + (t.running ? ` · ${t.running} running` : '')
      + (t.failed ? ` · ${t.failed} failed` : '') + (t.skipped ? ` · ${t.skipped} skipped` : '');
    return el('div', { class: 'tier', 'data-tier': t.name },
      el('div', { class: 'tier-head' }, el('span', {}, `Tier ${i + 1}: ${t.name} `, el('span', { class: 'muted' }, t.mode)),
        el('span', { class: 'tier-count' }, text)),
      bar([['completed', t.completed], ['skipped', t.skipped], ['in_progress', t.running - enabled], ['ready', enabled],
        ['failed', t.failed]], total));
  }));
}

/** Tiers as columns, phases as boxes coloured by status, each prerequisite an arrow unless another path implies it. */
function renderGraph(s) {
  const W = 190, H = 34, GAP_X = 70, GAP_Y = 14, TOP = 26;
  const pos = {};
  s.tiers.forEach((t, col) => t.phases.forEach((id, row) => { pos[id] = { x: 10 + col * (W + GAP_X), y: TOP + row * (H + GAP_Y) }; }));
  const rows = Math.max(1, ...s.tiers.map((t) => t.phases.length));
  const g = svg('svg', { width: 20 + s.tiers.length * (W + GAP_X) - GAP_X, height: TOP + rows * (H + GAP_Y), role: 'img',
    'aria-label': 'phase graph' });
  const defs = svg('defs');
  defs.append(arrowHead());
  g.append(defs);
  s.tiers.forEach((t, col) => g.append(svg('text', { x: 10 + col * (W + GAP_X), y: 14, class: 'tier-label' },
    `${t.name} (${t.mode})`)));
  const pres = (id) => (s.phases[id] && s.phases[id].prerequisites) || [];
  const ancestors = {};
  const anc = (id) => ancestors[id] || (ancestors[id] = new Set(pres(id).flatMap((p) => [p, ...anc(p)])));
  for (const [id, p] of Object.entries(s.phases)) {
    for (const pre of pres(id)) {
      if (!pos[pre] || !pos[id] || pres(id).some((o) => o !== pre && anc(o).has(pre))) continue;
      const a = pos[pre], b = pos[id];
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      const path = a.x === b.x // same column (sequential tier): a short arc on the right
        ? `M${a.x + W / 2},${a.y + H} L${b.x + W / 2},${b.y - 1}`
        : `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2 - 2},${y2}`;
      g.append(svg('path', { d: path, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': pre, 'data-to': id }));
    }
  }
  for (const p of Object.values(s.phases)) {
    const at = pos[p.id];
    if (!at) continue;
    const n = svg('g', { class: 'node' + (DARK_TEXT.has(p.status) ? ' light' : ''), 'data-phase-id': p.id, 'data-status': p.status,
      transform: `translate(${at.x},${at.y})` });
    n.append(svg('title', {}, `${p.id} ${p.name} (${p.agent}): ${words(p.status)}`
      + (p.waiting_for ? `\nwaiting for ${p.waiting_for.text}` : '') + (p.reason ? `\n${p.reason}` : '')));
    n.append(svg('rect', { width: W, height: H, rx: 5, fill: colour(p.status),
      stroke: p.status === 'waiting_for_approval' ? '#333' : 'none', 'stroke-dasharray': p.status === 'skipped' ? '4 3' : '' }));
    const label = `${p.id} ${p.name}`;
    n.append(svg('text', { x: 8, y: 15 }, label.length > 26 ? label.slice(0, 25) + '…' : label));
    n.append(svg('text', { x: 8, y: 28, 'font-size': 10 }, words(p.status) + (p.attempts > 1 ? ` · attempt ${p.attempts}` : '')));
    g.append(n);
  }
  $('graph').replaceChildren(g);
  $('legend').replaceChildren(...STATUSES.map((st) => { const i = el('i', {}); i.style.background = colour(st); return el('span', {}, i, words(st)); }));
}
function arrowHead() {
  const m = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#90a4ae' }));
  return m;
}

function renderCurrent(s) {
  const running = Object.values(s.phases).filter((p) => p.status === 'in_progress' || p.status === 'ready');
  if (!running.length) { $('current').replaceChildren(el('p', { class: 'muted' }, 'No phase is running.')); return; }
  $('current').replaceChildren(...running.flatMap((p) => {
    const tasks = Object.entries(s.tasks).filter(([, t]) => t.phase_id === p.id);
    const since = p.started_at ? el('span', { 'data-since': p.started_at }, elapsed(p.started_at)) : 'starting';
    const expected = p.expected_end ? ` · expected end ~${clock(p.expected_end)}` : '';
    return [el('div', { class: 'phase-line', 'data-current-phase': p.id }, `Phase ${p.id}: ${p.name} `,
      el('span', { class: 'muted' }, `${p.agent} · attempt ${Math.max(1, p.attempts)} · `, since, expected)),
    ...tasks.map(([id, t]) => el('div', { class: 'task', 'data-task': id, title: t.title || id }, el('span', {}, id),
      bar([[t.status === 'completed' ? 'completed' : 'in_progress', t.progress]], 100), el('span', {}, t.progress + '%'))),
    phaseActions(p)];
  }));
}

function elapsed(iso) {
  return 'running ' + span((Date.now() - Date.parse(iso)) / 1000);
}

/** Between events the clocks still move: durations of what is running, counted by this browser once a second. */
function tick() {
  if (!state || ['completed', 'failed', 'cancelled'].includes(state.status) || !state.start_time) return;
  $('duration').textContent = span((Date.now() - Date.parse(state.start_time)) / 1000);
  document.querySelectorAll('[data-since]').forEach((e) => { e.textContent = elapsed(e.dataset.since); });
}

function renderWaiting(s) {
  const waiting = Object.values(s.phases).filter((p) => p.waiting_for && p.status !== 'ready');
  if (!waiting.length) { $('waiting').replaceChildren(el('p', { class: 'muted' }, 'Nothing is waiting.')); return; }
  $('waiting').replaceChildren(...waiting.map((p) => el('div', { 'data-waiting-phase': p.id },
    el('div', { class: 'phase-line' }, `Phase ${p.id}: ${p.name} `, el('span', { class: 'badge s-' + p.status }, words(p.status))),
    el('div', {}, 'waits for ' + p.waiting_for.text), phaseActions(p))));
}

/** One row per phase that has attempts: a bar per attempt from start (or ready) to end, coloured by outcome. */
function renderGantt(s) {
  const rows = Object.values(s.phases).filter((p) => p.attempt_history && p.attempt_history.length);
  if (!rows.length || !s.start_time) { $('gantt').replaceChildren(el('p', { class: 'muted' }, 'No attempt yet.')); return; }
  const t0 = Date.parse(s.start_time);
  const tEnd = Date.parse(s.end_time || s.updated_at);
  const LEFT = 190, WIDTH = 760, ROW = 20;
  const scale = WIDTH / Math.max(1000, tEnd - t0);
  const g = svg('svg', { width: LEFT + WIDTH + 20, height: 24 + rows.length * ROW, role: 'img', 'aria-label': 'timeline' });
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const x = LEFT + i * WIDTH / ticks;
    g.append(svg('line', { x1: x, x2: x, y1: 14, y2: 18 + rows.length * ROW, stroke: '#eee' }));
    g.append(svg('text', { x: x - 8, y: 11, 'font-size': 10, fill: '#777' }, span((tEnd - t0) * i / ticks / 1000)));
  }
  rows.forEach((p, i) => {
    const y = 18 + i * ROW;
    g.append(svg('text', { x: 0, y: y + 13 }, `${p.id} ${p.name}`.slice(0, 28)));
    for (const a of p.attempt_history) {
      const from = Date.parse(a.started_at || a.ready_at || s.start_time);
      const to = a.ended_at ? Date.parse(a.ended_at) : tEnd;
      const outcome = a.outcome || (a.started_at ? 'in_progress' : 'ready');
      const r = svg('rect', { x: LEFT + (from - t0) * scale, y: y + 2, width: Math.max(2, (to - from) * scale), height: ROW - 6,
        rx: 2, fill: colour(outcome), 'data-phase-id': p.id, 'data-attempt': a.number });
      r.append(svg('title', {}, `phase ${p.id} attempt ${a.number}: ${words(outcome)} · ${span((to - from) / 1000)}`
        + (a.worker_id ? ` on ${a.worker_id}` : '') + (a.error ? `\n${a.error}` : '')));
      g.append(r);
    }
  });
  $('gantt').replaceChildren(g);
}

function renderAlerts(s) {
  const alerts = (s.alerts || []).slice().reverse();
  $('alerts').replaceChildren(...(alerts.length ? alerts.map((a) => el('li', { class: a.severity, 'data-alert': a.kind },
    el('time', {}, clock(a.at)), `${a.severity} ${a.message}`)) : [el('li', { class: 'muted' }, 'none')]));
}

// ---- interventions: posted to the plan-loader, the only writer, with the API token ----------------------------------
function renderExecutionActions(s) {
  const can = {
    start: s.status === 'initialized', pause: s.status === 'in_progress', resume: s.status === 'paused',
    cancel: !['completed', 'failed', 'cancelled'].includes(s.status),
  };
  $('execution-actions').replaceChildren(...Object.entries(can).filter(([, ok]) => ok)
    .map(([cmd]) => button(cmd, null)));
}
function phaseActions(p) {
  const cmds = p.status === 'waiting_for_approval' ? ['approve', 'skip']
    : p.status === 'waiting_for_intervention' || p.status === 'failed' ? ['retry', 'skip']
      : p.status === 'pending' ? ['skip'] : [];
  return el('div', { class: 'actions' }, ...cmds.map((c) => button(c, p.id)));
}
function button(cmd, phaseId) {
  const b = el('button', { type: 'button', 'data-command': cmd }, cmd);
  if (phaseId != null) b.dataset.phase = phaseId;
  b.addEventListener('click', () => command(cmd, phaseId));
  return b;
}
function askToken(why) {
  const t = prompt(`The API token (${why}); ./oe up prints where it is kept:`);
  if (t) sessionStorage.setItem('oe-token', t.trim());
  return t;
}
async function command(cmd, phaseId) {
  const out = $('command-result');
  if (!config.commands_url) { out.textContent = 'No plan-loader address configured (OE_PLAN_LOADER_URL).'; return; }
  if (cmd === 'cancel' && !confirm('Cancel this execution? Running agents are stopped.')) return;
  if (!sessionStorage.getItem('oe-token') && !askToken('interventions need it')) return;
  const body = { command: cmd.toUpperCase(), reason: 'from the dashboard' };
  if (phaseId != null) body.phase_id = phaseId;
  try {
    const r = await fetch(`${config.commands_url}/api/v1/executions/${encodeURIComponent(current)}/commands`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
    const answer = await r.json().catch(() => ({}));
    if (r.status === 401) sessionStorage.removeItem('oe-token');
    out.textContent = r.ok ? `${cmd}${phaseId != null ? ' phase ' + phaseId : ''}: accepted`
      : `${cmd}: refused (HTTP ${r.status}) ${answer.error || ''} ${(answer.violations || []).map((v) => `${v.where}: ${v.message}`).join('; ')}`;
  } catch (e) {
    out.textContent = `${cmd}: the plan-loader did not answer (${e.message})`;
  }
}

// ---- start ----------------------------------------------------------------------------------------------------------
async function start() {
  setInterval(tick, 1000);
  try { config = await getJson('api/v1/dashboard/config'); } catch (e) { /* buttons say so when pressed */ }
  $('executions').addEventListener('change', (e) => show(e.target.value));
  window.addEventListener('hashchange', () => show(decodeURIComponent(location.hash.slice(1))));
  let first;
  try { first = await loadList(); } catch (e) { first = null; unavailable(e); }
  show(first);
  // the list follows every execution's changes: an option's text is updated in place, a new execution reloads it
  const all = new AbortController();
  listen('api/v1/executions/stream', async (s) => {
    const option = [...$('executions').options].find((o) => o.value === s.execution_id);
    if (option) option.textContent = optionText(s);
    else await loadList();
    if (!current) show(s.execution_id);
  }, all);
}
start();
