// Agents' live output on the dashboard: a panel per running phase, following its attempt over Server-Sent Events, and
// any attempt of any phase on a click (in the phase graph or the timeline). Agent output is data from a program the
// engine does not trust: it reaches the page only as text nodes (never innerHTML), so markup in it shows as markup, it
// never becomes it.
// Loaded before dashboard.js, whose helpers (el, authHeaders, getJson) it calls once the page runs.
'use strict';

/** A panel keeps at most this much text (the start goes first): a 1 MiB flood does not slow the page down. */
const OUTPUT_KEPT_CHARS = 256 * 1024;
/** At most this many panels: the running phases first, then the ones asked for. */
const OUTPUT_PANELS = 6;

const outputs = new Map(); // `${phase}/${attempt}` -> { pre, ctl, phase, attempt, running }
let outputExecution = null;

/** Panels that follow running phases by themselves; the rest are for phases asked for (a click). */
const OUTPUT_RUNNING_PANELS = 4;

/**
 * Called with each state: a panel for the running phases' attempts (the first few by id). Cheap with 10,000 phases:
 * one pass that stops early, nothing rebuilt.
 */
function renderOutputs(s) {
  if (outputExecution !== s.execution_id) {
    outputs.forEach((o) => o.ctl.abort());
    outputs.clear();
    $('outputs').replaceChildren();
    outputExecution = s.execution_id;
  }
  let opened = 0;
  for (const p of Object.values(s.phases)) {
    if (p.status !== 'in_progress') continue;
    const attempt = (p.attempt_history || []).at(-1);
    if (attempt) openOutput(s.execution_id, p, attempt.number, true);
    if (++opened >= OUTPUT_RUNNING_PANELS) break;
  }
}

/** The panel of one attempt, opened (and followed) once; the oldest panels of phases no longer running make room. */
function openOutput(executionId, phase, attempt, running) {
  const key = `${phase.id}/${attempt}`;
  if (outputs.has(key)) return outputs.get(key);
  while (outputs.size >= OUTPUT_PANELS) {
    const [oldKey, old] = [...outputs.entries()].find(([, o]) => !o.running) || [...outputs.entries()][0];
    old.ctl.abort();
    old.box.remove();
    outputs.delete(oldKey);
  }
  const pre = el('pre', { class: 'output', 'data-output': key });
  const note = el('span', { class: 'muted' }, running ? 'live' : '');
  const box = el('div', { class: 'output-panel' }, el('h3', {}, `Phase ${phase.id}: ${phase.name} · attempt ${attempt} `, note), pre);
  $('outputs').prepend(box);
  const o = { pre, box, note, ctl: new AbortController(), running };
  if (!running) o.note.textContent = 'loading';
  outputs.set(key, o);
  const path = `api/v1/executions/${encodeURIComponent(executionId)}/phases/${phase.id}/output`;
  followOutput(path, attempt, o).then(() => { o.running = false; o.note.textContent = 'ended'; },
    (e) => { o.running = false; if (!o.ctl.signal.aborted) o.note.textContent = 'not available: ' + e.message; });
  return o;
}

/** Appends a chunk's text as text, and says where output was dropped or cut. */
function appendChunk(o, c) {
  if (c.dropped_bytes > 0) o.pre.append(el('span', { class: 'output-mark' }, `[${c.dropped_bytes} bytes dropped]\n`));
  if (c.cut) o.pre.append(el('span', { class: 'output-mark' }, c.text));
  else if (c.text) o.pre.append(el('span', { class: 'output-' + c.stream }, c.text));
  let size = o.pre.textContent.length;
  while (size > OUTPUT_KEPT_CHARS && o.pre.firstChild) {
    size -= o.pre.firstChild.textContent.length;
    o.pre.firstChild.remove();
  }
  o.pre.scrollTop = o.pre.scrollHeight;
}

/**
 * The attempt's output from the start, over SSE until its stream ends (the attempt ended); a broken connection goes on
 * from the next chunk, never from the start again.
 */
async function followOutput(path, attempt, o) {
  let next = 0;
  for (let tries = 0; tries < 8 && !o.ctl.signal.aborted; tries++) {
    const r = await fetch(`${path}/stream?attempt=${attempt}&from=${next}`,
      { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal: o.ctl.signal });
    if (r.status === 404 || r.status === 401) throw new Error('HTTP ' + r.status);
    if (!r.ok) { await sleep(1000); continue; }
    try {
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const data = buf.slice(0, cut).split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          buf = buf.slice(cut + 2);
          if (!data) continue;
          const c = JSON.parse(data);
          next = c.seq + 1;
          appendChunk(o, c);
          if (c.last) return;
        }
      }
    } catch (e) {
      if (o.ctl.signal.aborted) return;
      await sleep(1000);
    }
  }
}

// A click on a phase in the graph (its last attempt) or on an attempt's bar in the timeline shows that output.
document.addEventListener('click', (ev) => {
  const node = ev.target.closest && ev.target.closest('#graph [data-phase-id], #gantt [data-phase-id][data-attempt]');
  if (!node || !state) return;
  const p = state.phases[node.getAttribute('data-phase-id')];
  const attempt = Number(node.getAttribute('data-attempt')) || ((p && p.attempt_history) || []).map((a) => a.number).at(-1);
  if (!p || !attempt) return;
  const o = openOutput(state.execution_id, p, attempt, p.status === 'in_progress' && attempt === p.attempt_history.at(-1).number);
  o.box.scrollIntoView({ block: 'nearest' });
});
