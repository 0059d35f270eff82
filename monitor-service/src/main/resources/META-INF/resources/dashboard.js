// The "Execution Progress" view: one execution's state from the monitor's REST API, redrawn on every change pushed
// over Server-Sent Events. Plan text reaches the page only through textContent (never innerHTML): a phase name is data.
// The first state is read while the page loads, so the page's first paint already shows it (see start()).
// Pure layout helpers (axis ticks, wrapped labels, tier counts) are in layout.js.
'use strict';

/** An execution that has ended (the engine's ExecutionStatus.isTerminal(); the one place the page spells it). */
const ended = s => ['completed', 'failed', 'cancelled'].includes(s.status);
const STATUSES = ['completed', 'in_progress', 'ready', 'failed', 'waiting_for_intervention', 'waiting_for_approval',
  'waiting_for_review', 'skipped', 'cancelled', 'pending'];
const DARK_TEXT = new Set(['pending', 'ready', 'waiting_for_approval', 'waiting_for_review']);
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

let config = { commands_url: null };
let current = null;       // execution id shown
let state = null;         // its last state
let lastSeq = 0;          // last log entry shown
let stream = null;        // AbortController of the open stream
let drawing = 0;          // the animation frame that will draw the last state received, if one is asked for

/** A tier with more phases than this is drawn as one box with its counts, its phases in a grid that opens below. */
const WIDE_TIER = 12;
/** The current and waiting lists show at most this many phases, then say how many more there are. */
const LISTED = 12;

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
    if (r.status === 401) {
      sessionStorage.removeItem('oe-token'); // missing, unknown or expired: ask for one, once
      if (askToken("reading needs a reader's token")) continue;
    }
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
  return fillList(await getJson('api/v1/executions'));
}

/** The executions in the selector; returns the one to show: the address's, else the one shown, else a running one. */
function fillList(list) {
  const sel = $('executions');
  const keep = current;
  sel.replaceChildren(...list.map((s) => el('option', { value: s.execution_id }, optionText(s))));
  const wanted = decodeURIComponent(location.hash.slice(1)) || keep
    || (list.find((s) => s.status === 'in_progress') || list[0] || {}).execution_id;
  if (wanted && list.some((s) => s.execution_id === wanted)) sel.value = wanted;
  return sel.value || wanted || null;
}

function optionText(s) {
  return `${s.dry_run ? '[DRY RUN] ' : ''}${s.orchestration_plan_id} · ${s.execution_id} · ${words(s.status)} (${s.phases_completed}/${s.phases_total})`;
}

/** Shows execution id (its first state drawn at once when given), then follows its changes over SSE. */
function show(id, first) {
  if (!id) { $('loading').hidden = true; $('empty').hidden = false; $('view').hidden = true; return; }
  if (id === current && stream) return;
  if (stream) stream.abort();
  current = id;
  state = null;
  lastSeq = 0;
  $('events').replaceChildren();
  $('tier-grids').replaceChildren();
  grids.clear();
  $('command-result').textContent = '';
  history.replaceState(null, '', '#' + encodeURIComponent(id));
  $('executions').value = id;
  if (first) { state = first; render(first); loadEvents().catch(unavailable); }
  stream = new AbortController();
  listen('api/v1/executions/' + encodeURIComponent(id) + '/stream', (s) => { state = s; redraw(); }, stream);
}

/**
 * Draws the last state received at the next frame: a burst of changes (thousands of phases finishing) costs one
 * drawing, not one per change.
 */
function redraw() {
  if (drawing) return;
  drawing = requestAnimationFrame(() => {
    drawing = 0;
    if (!state) return;
    render(state);
    loadEvents().catch(unavailable);
  });
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
  $('loading').hidden = true;
  $('empty').hidden = true;
  $('view').hidden = false;
  $('plan').textContent = s.orchestration_plan_id;
  const badge = $('status');
  badge.textContent = words(s.status);
  badge.className = 'badge s-' + s.status;
  badge.dataset.status = s.status;
  $('dry-run').hidden = !s.dry_run; // a dry run is never mistaken for a run
  $('project').textContent = s.project_name;
  $('execution-id').textContent = s.execution_id;
  $('started').textContent = s.start_time ? new Date(s.start_time).toLocaleString() : 'not started';
  $('duration').textContent = span(s.duration_seconds);
  const phases = Object.values(s.phases);
  const done = phases.filter((p) => p.status === 'completed' || p.status === 'skipped').length;
  $('phases-done').textContent = `${done} of ${phases.length} ended`;
  renderEta(s);
  const wide = new Set(s.tiers.filter((t) => t.phases.length > WIDE_TIER).map((t) => t.name));
  renderTiers(s);
  renderGraph(s, wide);
  renderTierGrids(s, wide);
  renderCurrent(s);
  renderWaiting(s);
  renderGantt(s, wide);
  renderAlerts(s);
  renderUsage(s);
  renderBudgets(s);
  renderArtifacts(s);
  renderOutputs(s);
  renderExecutionActions(s);
  $('report-link').href = `api/v1/executions/${encodeURIComponent(s.execution_id)}/report?format=html`;
  $('log-link').href = `api/v1/executions/${encodeURIComponent(s.execution_id)}/log`;
}

function renderEta(s) {
  const eta = s.eta || {};
  const e = $('eta');
  e.title = eta.basis || '';
  if (ended(s)) e.textContent = 'ended ' + clock(s.end_time);
  else if (eta.waiting) e.textContent = eta.waiting; // the monitor's wording (Eta.java), the same in oe watch
  else if (eta.estimated_end) e.textContent = `~${clock(eta.estimated_end)} (${span(eta.remaining_seconds)} left)`;
  else e.textContent = 'unknown until a phase completes';
  // the seed's "Status: On track", against the plan's own estimates (Schedule.java, the same line in oe watch)
  const sc = $('schedule');
  sc.textContent = s.schedule ? s.schedule.text : 'no estimates in the plan';
  sc.classList.toggle('behind', !!s.schedule && !s.schedule.on_track);
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

/**
 * Tiers as columns, phases as boxes coloured by status, each prerequisite an arrow unless another path implies it.
 * A wide tier is one box with its counts (its phases are in a grid below, see renderTierGrids): arrows to and from
 * its phases meet that box. Labels wrap inside their box; one too long for it ends with "…" and the box's title and
 * accessible name carry it whole.
 */
function renderGraph(s, wide) {
  const W = 200, GAP_X = 70, GAP_Y = 12, TOP = 26, PAD = 8, LINE = 15, SMALL_LINE = 13, INNER = W - 2 * PAD;
  const nameFit = textWidth(12), smallFit = textWidth(10);
  const tierOf = {};
  s.tiers.forEach((t) => t.phases.forEach((id) => { tierOf[id] = t.name; }));
  const key = (id) => (wide.has(tierOf[id]) ? 'tier:' + tierOf[id] : String(id));

  // every box's lines first: the tallest sets the row height, so that rows line up across tiers
  const labels = {};
  let nameLines = 1, smallLines = 1;
  for (const t of s.tiers) {
    if (wide.has(t.name)) continue;
    for (const id of t.phases) {
      const p = s.phases[id];
      if (!p) continue;
      const l = { name: wrapText(`${p.id} ${p.name}`, INNER, 4, nameFit), small: wrapText(statusLine(p), INNER, 2, smallFit) };
      labels[id] = l;
      nameLines = Math.max(nameLines, l.name.lines.length);
      smallLines = Math.max(smallLines, l.small.lines.length);
    }
  }
  const H = PAD + nameLines * LINE + smallLines * SMALL_LINE + 2;
  const groupText = {};
  for (const t of s.tiers) {
    if (wide.has(t.name)) groupText[t.name] = wrapText(countsText(tierCounts(s.phases, t.phases)), INNER, 4, smallFit);
  }

  const pos = {};
  let bottom = TOP + H;
  s.tiers.forEach((t, col) => {
    const x = 10 + col * (W + GAP_X);
    if (wide.has(t.name)) {
      const h = PAD + LINE + groupText[t.name].lines.length * SMALL_LINE + 8 + 10 + 6 + SMALL_LINE + PAD;
      pos['tier:' + t.name] = { x, y: TOP, h };
      bottom = Math.max(bottom, TOP + h);
    } else {
      t.phases.forEach((id, row) => { pos[String(id)] = { x, y: TOP + row * (H + GAP_Y), h: H }; });
      bottom = Math.max(bottom, TOP + t.phases.length * (H + GAP_Y) - GAP_Y);
    }
  });
  const g = svg('svg', { width: 20 + s.tiers.length * (W + GAP_X) - GAP_X, height: bottom + 6, role: 'group',
    'aria-label': 'phase graph' });
  const defs = svg('defs');
  defs.append(arrowHead());
  g.append(defs);
  s.tiers.forEach((t, col) => g.append(svg('text', { x: 10 + col * (W + GAP_X), y: 14, class: 'tier-label' },
    `${t.name} (${t.mode})`)));

  for (const [from, to] of reducedEdges(s, key)) {
    const a = pos[from], b = pos[to];
    if (!a || !b) continue;
    const x1 = a.x + W, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    const path = a.x === b.x // same column (sequential tier): a short line down
      ? `M${a.x + W / 2},${a.y + a.h} L${b.x + W / 2},${b.y - 1}`
      : `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2 - 2},${y2}`;
    g.append(svg('path', { d: path, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': from, 'data-to': to }));
  }
  for (const p of Object.values(s.phases)) {
    const at = pos[String(p.id)], l = labels[p.id];
    if (!at || !l) continue;
    const full = `${p.id} ${p.name} (${p.agent}): ${statusLine(p)}`;
    const n = svg('g', { class: 'node' + (DARK_TEXT.has(p.status) ? ' light' : ''), 'data-phase-id': p.id, 'data-status': p.status,
      transform: `translate(${at.x},${at.y})`, role: 'img', 'aria-label': full });
    n.append(svg('title', {}, full + (p.waiting_for ? `\nwaiting for ${p.waiting_for.text}` : '') + (p.reason ? `\n${p.reason}` : '')
      + (p.alternative && p.alternative.reason !== p.reason ? `\n${p.alternative.reason}` : '')));
    n.append(svg('rect', { width: W, height: H, rx: 5, fill: colour(p.status),
      stroke: p.status === 'waiting_for_approval' ? '#333' : 'none', 'stroke-dasharray': p.status === 'skipped' ? '4 3' : '' }));
    n.append(lines(l.name.lines, PAD, PAD + 10, LINE, 'name'));
    n.append(lines(l.small.lines, PAD, PAD + 10 + nameLines * LINE, SMALL_LINE, 'small'));
    g.append(n);
  }
  for (const t of s.tiers) {
    if (wide.has(t.name)) g.append(tierBox(t, s, pos['tier:' + t.name], groupText[t.name].lines, W, PAD, LINE, SMALL_LINE));
  }
  $('graph').replaceChildren(g);
  $('legend').replaceChildren(...STATUSES.map((st) => { const i = el('i', {}); i.style.background = colour(st); return el('span', {}, i, words(st)); }));
}

/** "waiting for intervention · attempt 2" */
function statusLine(p) {
  return words(p.status) + (p.attempts > 1 ? ` · attempt ${p.attempts}` : '');
}

/** Lines of text, one tspan each, from (x, y) down. */
function lines(texts, x, y, step, cls) {
  const t = svg('text', { x, y, class: cls });
  texts.forEach((line, i) => t.append(svg('tspan', { x, y: y + i * step }, line)));
  return t;
}

/**
 * The graph's arrows between boxes (a wide tier's phases share its box), without those another path implies: a → c
 * is left out when c's other prerequisite b comes after a. Worked out on the boxes, not the phases, so a tier of
 * 10,000 phases costs one pass over the prerequisites.
 */
function reducedEdges(s, key) {
  const pres = new Map(); // box → the boxes it waits for
  for (const p of Object.values(s.phases)) {
    const to = key(p.id);
    for (const pre of p.prerequisites || []) {
      const from = key(pre);
      if (from === to) continue;
      if (!pres.has(to)) pres.set(to, new Set());
      pres.get(to).add(from);
    }
  }
  const ancestors = new Map();
  const anc = (k, seen = new Set()) => {
    if (ancestors.has(k)) return ancestors.get(k);
    if (seen.has(k)) return new Set(); // a cycle between boxes (tiers out of order): stop rather than loop
    seen.add(k);
    const out = new Set();
    for (const q of pres.get(k) || []) { out.add(q); anc(q, seen).forEach((x) => out.add(x)); }
    ancestors.set(k, out);
    return out;
  };
  const edges = [];
  for (const [to, froms] of pres) {
    for (const from of froms) {
      if (![...froms].some((o) => o !== from && anc(o).has(from))) edges.push([from, to]);
    }
  }
  return edges;
}

/** A wide tier's box: how many phases, their counts, a bar of them; pressing it opens the tier's grid below. */
function tierBox(t, s, at, countLines, W, PAD, LINE, SMALL_LINE) {
  const counts = tierCounts(s.phases, t.phases);
  const text = `tier ${t.name}: ${t.phases.length} phases, ${countsText(counts)}`;
  const b = svg('g', { class: 'node light tier-box', 'data-tier-box': t.name, transform: `translate(${at.x},${at.y})`,
    role: 'button', tabindex: 0, 'aria-label': text + '; press to show each phase' });
  b.append(svg('title', {}, text));
  b.append(svg('rect', { width: W, height: at.h, rx: 5, fill: '#eceff1', stroke: '#90a4ae' }));
  b.append(lines([`${t.phases.length.toLocaleString('en')} phases`], PAD, PAD + 10, LINE, 'name strong'));
  b.append(lines(countLines, PAD, PAD + 10 + LINE, SMALL_LINE, 'small'));
  let x = PAD;
  const y = PAD + LINE + countLines.length * SMALL_LINE + 8, inner = W - 2 * PAD;
  b.append(svg('rect', { x: PAD - 0.5, y: y - 0.5, width: inner + 1, height: 11, fill: 'none', stroke: '#b0bec5' }));
  for (const st of STATUSES) {
    const n = t.phases.reduce((k, id) => k + (s.phases[id] && s.phases[id].status === st ? 1 : 0), 0);
    if (!n) continue;
    b.append(svg('rect', { x, y, width: inner * n / t.phases.length, height: 10, fill: colour(st) }));
    x += inner * n / t.phases.length;
  }
  b.append(lines([grids.has(t.name) && grids.get(t.name).details.open ? 'each phase: below ▴' : 'show each phase ▾'],
    PAD, y + 10 + 6 + 9, SMALL_LINE, 'small link'));
  const toggle = () => {
    const d = grids.get(t.name).details;
    d.open = !d.open;
    if (d.open) d.scrollIntoView({ block: 'nearest' });
  };
  b.addEventListener('click', toggle);
  b.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  return b;
}

/**
 * Each wide tier's phases as a grid of small cells, built when its box is opened and then changed only where a
 * phase's status changed: an update that touches a few of 10,000 phases touches a few cells. A cell's title (name,
 * status, what it waits for) is written when the pointer reaches it, from the state then.
 */
const grids = new Map(); // tier name → { details, summary, box, cells: Map phase id → cell, tier }
function renderTierGrids(s, wide) {
  for (const [name, g] of grids) if (!wide.has(name)) { g.details.remove(); grids.delete(name); }
  for (const t of s.tiers) {
    if (!wide.has(t.name)) continue;
    let g = grids.get(t.name);
    if (!g) {
      g = { summary: el('summary', {}), box: el('div', { class: 'cells' }), cells: new Map() };
      g.details = el('details', { class: 'tier-grid', 'data-tier-grid': t.name }, g.summary, g.box);
      g.details.addEventListener('toggle', () => { if (g.details.open && state) fillGrid(g, state); redraw(); });
      g.box.addEventListener('mouseover', (e) => cellTitle(e.target));
      $('tier-grids').append(g.details);
      grids.set(t.name, g);
    }
    g.tier = t;
    g.summary.textContent = `Tier ${t.name}: ${t.phases.length.toLocaleString('en')} phases · ${countsText(tierCounts(s.phases, t.phases))}`;
    if (g.details.open) fillGrid(g, s);
  }
}
function fillGrid(g, s) {
  for (const id of g.tier.phases) {
    const p = s.phases[id];
    if (!p) continue;
    let c = g.cells.get(id);
    if (!c) {
      c = el('span', { class: 'cell', 'data-cell': id }, String(id));
      g.box.append(c);
      g.cells.set(id, c);
    }
    if (c.dataset.status !== p.status) {
      c.dataset.status = p.status;
      c.className = 'cell s-' + p.status + (DARK_TEXT.has(p.status) ? ' light' : '');
      c.setAttribute('aria-label', `phase ${p.id}: ${words(p.status)}`);
    }
  }
}
function cellTitle(c) {
  const p = c && c.dataset && c.dataset.cell && state && state.phases[c.dataset.cell];
  if (p) c.title = `${p.id} ${p.name} (${p.agent}): ${statusLine(p)}` + (p.waiting_for ? `\nwaiting for ${p.waiting_for.text}` : '')
    + (p.reason ? `\n${p.reason}` : '');
}
function arrowHead() {
  const m = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#90a4ae' }));
  return m;
}

function renderCurrent(s) {
  const running = Object.values(s.phases).filter((p) => p.status === 'in_progress' || p.status === 'ready');
  if (!running.length) { $('current').replaceChildren(el('p', { class: 'muted' }, 'No phase is running.')); return; }
  $('current').replaceChildren(...running.slice(0, LISTED).flatMap((p) => {
    const tasks = Object.entries(s.tasks).filter(([, t]) => t.phase_id === p.id);
    const since = p.started_at ? el('span', { 'data-since': p.started_at }, elapsed(p.started_at)) : 'starting';
    const expected = p.expected_end ? ` · expected end ~${clock(p.expected_end)}` : '';
    return [el('div', { class: 'phase-line', 'data-current-phase': p.id }, `Phase ${p.id}: ${p.name} `,
      el('span', { class: 'muted' }, `${p.agent} · attempt ${Math.max(1, p.attempts)} · `, since, expected)),
    ...tasks.map(([id, t]) => el('div', { class: 'task', 'data-task': id, title: t.title || id }, el('span', {}, id),
      bar([[t.status === 'completed' ? 'completed' : 'in_progress', t.progress]], 100), el('span', {}, t.progress + '%'))),
    phaseActions(p)];
  }), ...more(running.length, 'running'));
}

/** "and 138 more running": what a capped list leaves out, and where each of them is. */
function more(total, what) {
  return total > LISTED ? [el('p', { class: 'muted more' }, `and ${(total - LISTED).toLocaleString('en')} more ${what}`
    + ' (the phase graph counts them; a wide tier\'s grid shows each)')] : [];
}

function elapsed(iso) {
  return 'running ' + span((Date.now() - Date.parse(iso)) / 1000);
}

/** Between events the clocks still move: durations of what is running, counted by this browser once a second. */
function tick() {
  if (!state || ended(state) || !state.start_time) return;
  $('duration').textContent = span((Date.now() - Date.parse(state.start_time)) / 1000);
  document.querySelectorAll('[data-since]').forEach((e) => { e.textContent = elapsed(e.dataset.since); });
}

function renderWaiting(s) {
  const waiting = Object.values(s.phases).filter((p) => p.waiting_for && p.status !== 'ready');
  if (!waiting.length) { $('waiting').replaceChildren(el('p', { class: 'muted' }, 'Nothing is waiting.')); return; }
  // people first: their phases have buttons
  const person = (p) => (p.status.startsWith('waiting_for') ? 0 : 1);
  waiting.sort((a, b) => person(a) - person(b) || a.id - b.id);
  $('waiting').replaceChildren(...waiting.slice(0, LISTED).map((p) => el('div', { 'data-waiting-phase': p.id },
    el('div', { class: 'phase-line' }, `Phase ${p.id}: ${p.name} `, el('span', { class: 'badge s-' + p.status }, words(p.status))),
    el('div', {}, 'waits for ' + p.waiting_for.text), phaseActions(p))), ...more(waiting.length, 'waiting'));
}

/**
 * One row per phase that has attempts, a bar per attempt from start (or ready) to end, coloured by outcome; a wide
 * tier's phases share one row, a bar from its first start to its last end. The axis steps are round and its labels
 * distinct at any duration (axisTicks).
 */
function renderGantt(s, wide) {
  const rows = [];
  const tierRows = new Map();
  const tierOf = {};
  s.tiers.forEach((t) => t.phases.forEach((id) => { tierOf[id] = t; }));
  for (const p of Object.values(s.phases)) {
    if (!p.attempt_history || !p.attempt_history.length) continue;
    const t = tierOf[p.id];
    if (t && wide.has(t.name)) {
      if (!tierRows.has(t.name)) { const r = { tier: t, phases: [] }; tierRows.set(t.name, r); rows.push(r); }
      tierRows.get(t.name).phases.push(p);
    } else rows.push({ phase: p });
  }
  if (!rows.length || !s.start_time) { $('gantt').replaceChildren(el('p', { class: 'muted' }, 'No attempt yet.')); return; }
  const t0 = Date.parse(s.start_time);
  const tEnd = Date.parse(s.end_time || s.updated_at);
  const LEFT = 200, WIDTH = 760, ROW = 20, TOP = 18;
  const axis = axisTicks(tEnd - t0, 8);
  const scale = WIDTH / axis.endMs;
  const g = svg('svg', { width: LEFT + WIDTH + 40, height: TOP + 6 + rows.length * ROW, role: 'group', 'aria-label': 'timeline' });
  for (const tick of axis.ticks) {
    const x = LEFT + tick.ms * scale;
    g.append(svg('line', { x1: x, x2: x, y1: 14, y2: TOP + rows.length * ROW, stroke: '#eee' }));
    g.append(svg('text', { x, y: 11, class: 'tick', 'text-anchor': 'middle', 'data-tick': tick.ms }, tick.label));
  }
  const fit = textWidth(12);
  const bar = (y, from, to, fill, title, attrs) => {
    const r = svg('rect', { x: LEFT + (from - t0) * scale, y: y + 2, width: Math.max(2, (to - from) * scale), height: ROW - 6,
      rx: 2, fill, ...attrs });
    r.append(svg('title', {}, title));
    g.append(r);
  };
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const label = row.phase ? `${row.phase.id} ${row.phase.name}` : `tier ${row.tier.name} (${row.tier.phases.length} phases)`;
    const text = wrapText(label, LEFT - 10, 1, fit);
    const l = svg('g', { 'aria-label': label });
    if (text.cut) l.append(svg('title', {}, label));
    l.append(svg('text', { x: 0, y: y + 13, class: 'row-label' }, text.lines[0]));
    g.append(l);
    if (row.phase) {
      const p = row.phase;
      for (const a of p.attempt_history) {
        const from = Date.parse(a.started_at || a.ready_at || s.start_time);
        const to = a.ended_at ? Date.parse(a.ended_at) : tEnd;
        const outcome = a.outcome || (a.started_at ? 'in_progress' : 'ready');
        bar(y, from, to, colour(outcome), `phase ${p.id} attempt ${a.number}: ${words(outcome)} · ${span((to - from) / 1000)}`
          + (a.worker_id ? ` on ${a.worker_id}` : '') + (a.error ? `\n${a.error}` : ''), { 'data-phase-id': p.id, 'data-attempt': a.number });
      }
    } else {
      let from = Infinity, to = -Infinity, running = false, failed = false, attempts = 0;
      for (const p of row.phases) {
        for (const a of p.attempt_history) {
          attempts++;
          from = Math.min(from, Date.parse(a.started_at || a.ready_at || s.start_time));
          to = Math.max(to, a.ended_at ? Date.parse(a.ended_at) : tEnd);
          running = running || !a.ended_at;
          failed = failed || a.outcome === 'failed';
        }
      }
      const outcome = running ? 'in_progress' : failed ? 'failed' : 'completed';
      bar(y, from, to, colour(outcome), `tier ${row.tier.name}: ${row.phases.length} of ${row.tier.phases.length} phases`
        + ` started, ${attempts} attempts, ${span((to - from) / 1000)} · ${countsText(tierCounts(s.phases, row.tier.phases))}`,
      { 'data-tier-row': row.tier.name });
    }
  });
  $('gantt').replaceChildren(g);
}

function renderAlerts(s) {
  const alerts = (s.alerts || []).slice().reverse();
  $('alerts').replaceChildren(...(alerts.length ? alerts.map((a) => el('li', { class: a.severity, 'data-alert': a.kind },
    el('time', {}, clock(a.at)), `${a.severity} ${a.message}`)) : [el('li', { class: 'muted' }, 'none')]));
}

// Tokens and cost in the monitor's words (the same text as oe status and oe watch).
function renderUsage(s) {
  const u = s.usage || {};
  $('usage').textContent = u.reports ? u.text : 'none reported';
  const agents = u.by_agent || [];
  $('usage-by-agent').replaceChildren(...(agents.length ? agents.map((a) => el('li', { 'data-agent': a.agent },
    `${a.agent}: ${a.text}`)) : [el('li', { class: 'muted' }, 'none reported')]));
}

// Each budget limit beside its usage, in the monitor's words (budget_use.text, as in oe status and the report).
function renderBudgets(s) {
  $('budget').textContent = s.budget_use ? s.budget_use.text : 'none';
  const phases = Object.values(s.phases || {}).filter((p) => p.budget_use);
  const items = (s.budget_use ? [el('li', { 'data-budget': 'execution' }, `execution: ${s.budget_use.text}`)] : [])
    .concat(phases.map((p) => el('li', { 'data-budget': String(p.id) }, `phase ${p.id} ${p.name}: ${p.budget_use.text}`)));
  $('budgets').replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, 'no budget')]));
}

// Each stored artifact once (by checksum), linked to its download (GET …/artifacts/{sha256}, checked on the way out).
function renderArtifacts(s) {
  const seen = new Set();
  const items = [];
  for (const h of s.handoffs || []) {
    for (const [name, a] of Object.entries(h.artifacts || {})) {
      if (seen.has(a.checksum)) continue;
      seen.add(a.checksum);
      const href = `api/v1/executions/${encodeURIComponent(s.execution_id)}/artifacts/${encodeURIComponent(a.checksum)}`;
      items.push(el('li', {}, el('a', { href, target: '_blank', 'data-artifact': name, 'data-read': 'download' }, name),
        ` · phase ${h.phase_id} · ${a.size} bytes${a.validated ? ' · validated' : ''}`));
    }
  }
  $('artifacts').replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, 'none')]));
}

// Links to reads (the report, the log, artifacts) are fetched here, so that they carry the token when reads need
// it: a plain link cannot send it and got 401. An artifact is always saved, never shown: its bytes are an agent's, and
// a blob shown by this page would run with the page's rights. Ctrl/middle click still opens the plain address.
document.addEventListener('click', async (ev) => {
  const a = ev.target.closest ? ev.target.closest('a[data-read]') : null;
  if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  const said = a.closest('section').querySelector('.read-error'); // where this card says what went wrong
  const tab = a.dataset.read === 'view' ? window.open('', '_blank') : null; // now, while the click allows a new tab
  try {
    let r = await fetch(a.href, { headers: authHeaders() });
    if (r.status === 401) {
      tokenDeclined = false; // a click is a new question
      if (askToken("reading needs a reader's token")) r = await fetch(a.href, { headers: authHeaders() });
    }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const blob = await r.blob();
    const url = URL.createObjectURL(tab ? blob : new Blob([blob], { type: 'application/octet-stream' }));
    if (tab) tab.location = url;
    else el('a', { href: url, download: a.dataset.artifact || 'artifact' }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    said.textContent = '';
  } catch (e) {
    if (tab) tab.close();
    said.textContent = `${a.textContent}: ${e.message}`;
  }
});

// ---- interventions: posted to the plan-loader, the only writer, with the API token ----------------------------------
function renderExecutionActions(s) {
  const can = {
    start: s.status === 'initialized', pause: s.status === 'in_progress', resume: s.status === 'paused',
    cancel: !ended(s),
  };
  $('execution-actions').replaceChildren(...Object.entries(can).filter(([, ok]) => ok)
    .map(([cmd]) => button(cmd, null)));
}
function phaseActions(p) {
  if (p.status === 'waiting_for_review') {
    return el('div', { class: 'actions' }, ...Object.keys(REVIEW).map((d) => button('review', p.id, d)));
  }
  const cmds = p.status === 'waiting_for_approval' ? ['approve', 'skip']
    : p.status === 'waiting_for_intervention' || p.status === 'failed' ? ['retry', 'skip']
      : p.status === 'pending' ? ['skip'] : [];
  return el('div', { class: 'actions' }, ...cmds.map((c) => button(c, p.id)));
}
/**
 * A review's decisions (oe review): each asks for what it needs and gives the command's own fields, or null when the
 * person gave up. A replacement names a file of the project: the plan-loader reads it there and checks its contract.
 */
const REVIEW = {
  approve: () => ({ decision: 'approve' }),
  reject: () => {
    const feedback = prompt('Why? The phase runs again and its agent reads this (at most 16 KiB):');
    return feedback && feedback.trim() ? { decision: 'reject', feedback } : null;
  },
  replace: () => {
    const output = prompt('Replace which output of the phase? (its name, e.g. design.json)');
    if (!output) return null;
    const path = prompt(`With which file? Its path inside the project directory (e.g. reviews/${output}); it must pass`
      + ' the output\'s contract:');
    return path ? { decision: 'replace', output: output.trim(), path: path.trim() } : null;
  },
};
function button(cmd, phaseId, decision) {
  const b = el('button', { type: 'button', 'data-command': decision ? `${cmd}-${decision}` : cmd },
    decision ? `${decision} outputs` : cmd);
  if (phaseId != null) b.dataset.phase = phaseId;
  b.addEventListener('click', () => command(cmd, phaseId, decision));
  return b;
}
/** Set when the person declined the prompt: reads then fail with their reason instead of asking at every poll. */
let tokenDeclined = false;
function askToken(why) {
  if (tokenDeclined) return null;
  const t = prompt(`Your token (${why}): one of the tokens file, a JWT, or the local stack's (./oe up prints where it is kept):`);
  if (t && t.trim()) {
    sessionStorage.setItem('oe-token', t.trim());
    return t;
  }
  tokenDeclined = true;
  return null;
}
async function command(cmd, phaseId, decision) {
  const out = $('command-result');
  if (!config.commands_url) { out.textContent = 'No plan-loader address configured (OE_PLAN_LOADER_URL).'; return; }
  if (cmd === 'cancel' && !confirm('Cancel this execution? Running agents are stopped.')) return;
  const review = decision ? REVIEW[decision]() : {};
  if (review === null) return;
  tokenDeclined = false; // a click is a new question
  if (!sessionStorage.getItem('oe-token') && !askToken("interventions need an operator's token")) return;
  const body = { command: cmd.toUpperCase(), reason: 'from the dashboard', ...review };
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
/**
 * A read made while the page loads, blocking: the browser's load event (and a headless browser's first screenshot)
 * waits for it, so the first paint shows the execution, not an empty page. Null when it cannot answer at once (not
 * ready, a token needed, an error): the ordinary asynchronous reads then take over and say why.
 */
function readNow(path) {
  try {
    const x = new XMLHttpRequest();
    x.open('GET', path, false);
    x.setRequestHeader('Accept', 'application/json');
    for (const [k, v] of Object.entries(authHeaders())) x.setRequestHeader(k, v);
    x.send();
    return x.status === 200 ? JSON.parse(x.responseText) : null;
  } catch (e) {
    return null;
  }
}

/** The execution to show and its state, read while the page loads; what readNow cannot read is left undefined. */
function firstState() {
  const list = readNow('api/v1/executions');
  if (!list) return {};
  const id = fillList(list);
  return { id, state: id ? readNow('api/v1/executions/' + encodeURIComponent(id)) : null, known: true };
}

async function start() {
  const first = firstState();
  if (first.known) show(first.id, first.state);
  setInterval(tick, 1000);
  try { config = await getJson('api/v1/dashboard/config'); } catch (e) { /* buttons say so when pressed */ }
  $('executions').addEventListener('change', (e) => show(e.target.value));
  window.addEventListener('hashchange', () => show(decodeURIComponent(location.hash.slice(1))));
  if (!first.known) {
    let id;
    try { id = await loadList(); } catch (e) { id = null; unavailable(e); }
    show(id);
  }
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
