// rivulet dashboard: polls /api/state once a second and renders it. Plain
// browser JavaScript, served as is (no build step). Every name from the
// server is inserted as text (textContent), never as HTML.
'use strict';

const POLL_MS = 1000;
const $ = (sel) => document.querySelector(sel);
let state = null;
let selected = null; // "db:ref"
let sortKey = 'length';
let sortAsc = false;
let query = '';

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

const fmtInt = (n) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const fmtRate = (n) => (n >= 100 ? fmtInt(n) : n.toFixed(1));
function fmtBytes(n) {
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${u[i]}`;
}
function fmtMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${Math.floor(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}
const idOf = (s) => `${s.db}:${s.ref}`;

function streamFacts(s) {
  let lag = null, pending = 0, idle = 0;
  for (const g of s.groups) {
    if (g.lag !== null) lag = Math.max(lag ?? 0, g.lag);
    pending += g.pending;
    idle = Math.max(idle, g.oldestPendingIdleMs);
  }
  return { lag, pending, idle };
}

// ---- polling ----

async function poll() {
  try {
    const q = selected ? `?focus=${encodeURIComponent(selected)}` : '';
    const res = await fetch(`api/state${q}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    state = await res.json();
    render();
    document.body.dataset.updated = String(state.now);
  } catch (err) {
    $('#server').textContent = `disconnected (${err.message}); retrying…`;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

// ---- rendering ----

function render() {
  const st = state;
  const srv = st.server;
  $('#server').textContent = `rivulet ${srv.version} · Redis ${srv.redisVersion} API · up ${fmtMs(srv.uptimeSec * 1000)} · ${new Date(st.now).toLocaleTimeString()}`;
  let lag = 0, pending = 0;
  for (const s of st.streams) for (const g of s.groups) { lag += g.lag ?? 0; pending += g.pending; }
  const aof = srv.aof;
  const cards = [
    ['Streams', fmtInt(st.matched) + (st.matched > st.streams.length ? ` (top ${st.streams.length})` : ''), 'card-streams'],
    ['Entries/s', fmtRate(st.rate), 'card-rate'],
    ['Total lag', fmtInt(lag), 'card-lag'],
    ['Pending', fmtInt(pending), 'card-pending'],
    ['Clients', `${fmtInt(srv.connectedClients)} (${fmtInt(srv.blockedClients)} blocked)`, 'card-clients'],
    ['Memory', fmtBytes(srv.usedMemory), 'card-memory'],
    ['AOF', aof.enabled ? (aof.lastWriteOk ? (aof.rewriteInProgress ? 'rewriting' : 'ok') : 'write error') : 'off', 'card-aof'],
  ];
  $('#cards').replaceChildren(...cards.map(([label, value, id]) => el('div', { class: 'card', id }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value))));
  renderChart();
  renderTable();
  renderDetail();
}

function renderChart() {
  const focus = state.history.focus;
  const h = focus || state.history.total;
  const sel = selected && state.streams.find((s) => idOf(s) === selected);
  $('#chart-title').textContent = sel ? `Entries/s and lag: ${sel.key}` : 'Entries/s and lag, all streams';
  const svg = $('#chart');
  const W = 800, H = 160;
  const n = h.t.length;
  const maxOf = (arr) => Math.max(1, ...arr.filter((v) => v !== null));
  const maxRate = maxOf(h.rate), maxLag = maxOf(h.lag);
  const t0 = n ? h.t[0] : 0, t1 = n ? h.t[n - 1] : 1;
  const x = (t) => (t1 === t0 ? W : ((t - t0) / (t1 - t0)) * W);
  const path = (arr, max) => {
    let d = '';
    arr.forEach((v, i) => { if (v !== null) d += `${d === '' ? 'M' : 'L'}${x(h.t[i]).toFixed(1)},${(H - 4 - (v / max) * (H - 12)).toFixed(1)}`; });
    return d;
  };
  const ns = 'http://www.w3.org/2000/svg';
  const mk = (tag, attrs) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  const kids = [];
  for (let i = 1; i < 4; i++) kids.push(mk('line', { class: 'grid-line', x1: 0, x2: W, y1: (H * i) / 4, y2: (H * i) / 4 }));
  kids.push(mk('path', { class: 'rate', d: path(h.rate, maxRate) }));
  kids.push(mk('path', { class: 'lag', d: path(h.lag, maxLag) }));
  svg.replaceChildren(...kids);
  $('#chart-range').textContent = n ? `last ${fmtMs(t1 - t0)} (one point every ${state.history.sampleMs / 1000} s)` : '';
  $('#chart-max').textContent = `max ${fmtRate(maxRate === 1 && !h.rate.some((v) => v) ? 0 : maxRate)} entries/s · max lag ${fmtInt(maxLag === 1 && !h.lag.some((v) => v) ? 0 : maxLag)}`;
}

function renderTable() {
  const rows = state.streams
    .map((s) => ({ s, ...streamFacts(s) }))
    .filter((r) => query === '' || r.s.key.toLowerCase().includes(query));
  const val = (r) => ({ key: r.s.key, db: r.s.db, length: r.s.length, rate: r.s.rate, groups: r.s.groups.length, lag: r.lag ?? -1, pending: r.pending, idle: r.idle, memory: r.s.memoryBytes })[sortKey];
  rows.sort((a, b) => {
    const va = val(a), vb = val(b);
    const c = typeof va === 'string' ? va.localeCompare(vb) : va - vb;
    return sortAsc ? c : -c;
  });
  $('#count').textContent = query ? `${rows.length} of ${state.streams.length}` : `${state.streams.length}${state.matched > state.streams.length ? ` of ${state.matched}` : ''}`;
  if (selected === null && rows.length > 0) selected = idOf(rows[0].s);
  for (const th of document.querySelectorAll('#streams th')) {
    th.classList.toggle('sorted', th.dataset.sort === sortKey);
    th.classList.toggle('asc', th.dataset.sort === sortKey && sortAsc);
  }
  $('#streams tbody').replaceChildren(
    ...rows.map((r) =>
      el('tr', { class: idOf(r.s) === selected ? 'selected' : '', 'data-stream': r.s.key, onclick: () => { selected = idOf(r.s); render(); } },
        el('td', { class: 'name', title: r.s.key }, r.s.key),
        el('td', { class: 'num' }, r.s.db),
        el('td', { class: 'num', 'data-col': 'length' }, fmtInt(r.s.length)),
        el('td', { class: 'num', 'data-col': 'rate' }, fmtRate(r.s.rate)),
        el('td', { class: 'num' }, r.s.groups.length),
        el('td', { class: `num ${r.lag > 1000 ? 'warn' : ''}`, 'data-col': 'lag' }, r.lag === null ? '—' : fmtInt(r.lag)),
        el('td', { class: 'num', 'data-col': 'pending' }, fmtInt(r.pending)),
        el('td', { class: `num ${r.idle > 60000 ? 'bad' : ''}` }, r.pending ? fmtMs(r.idle) : '—'),
        el('td', { class: 'num' }, fmtBytes(r.s.memoryBytes)),
      ),
    ),
  );
}

function renderDetail() {
  const s = selected && state.streams.find((x) => idOf(x) === selected);
  const panel = $('#detail');
  panel.hidden = !s;
  if (!s) return;
  // Don't rebuild under the user's hands (an open select, a half-typed ID).
  if (panel.contains(document.activeElement) && document.activeElement !== document.body && document.activeElement.tagName !== 'BUTTON') return;
  $('#detail-title').textContent = s.key;
  $('#detail-ids').textContent = `first ${s.firstId ?? '—'} · last ${s.lastId ?? '—'} · ${fmtInt(s.entriesAdded)} added`;
  $('#login').hidden = !(state.actions && state.authRequired && !state.authenticated);
  const canAct = state.actions && state.authenticated;
  if (s.groups.length === 0) {
    $('#groups').replaceChildren(el('p', { class: 'muted' }, 'No consumer groups.'));
    return;
  }
  $('#groups').replaceChildren(...s.groups.map((g) => renderGroup(s, g, canAct)));
}

function renderGroup(s, g, canAct) {
  const consumers = el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Consumer'), el('th', { class: 'num' }, 'Pending'), el('th', { class: 'num' }, 'Idle'), el('th', { class: 'num' }, 'Inactive'))),
    el('tbody', {}, g.consumers.map((c) =>
      el('tr', { 'data-consumer': c.name },
        el('td', { class: 'name' }, c.name),
        el('td', { class: 'num' }, fmtInt(c.pending)),
        el('td', { class: `num ${c.idleMs > 60000 ? 'bad' : ''}` }, fmtMs(c.idleMs)),
        el('td', { class: 'num' }, fmtMs(c.inactiveMs)),
      ))),
  );
  const oldestHead = [el('th', {}, 'Pending entry'), el('th', {}, 'Consumer'), el('th', { class: 'num' }, 'Idle'), el('th', { class: 'num' }, 'Deliveries')];
  if (state.payloads) oldestHead.push(el('th', {}, 'Fields'));
  if (canAct) oldestHead.push(el('th', {}, 'Actions'));
  const oldest = el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, oldestHead)),
    el('tbody', {}, g.oldest.map((p) => {
      const cells = [
        el('td', { class: 'name' }, p.id),
        el('td', { class: 'name' }, p.consumer || '(released)'),
        el('td', { class: `num ${p.idleMs > 60000 ? 'bad' : ''}` }, fmtMs(p.idleMs)),
        el('td', { class: `num ${p.deliveries > 3 ? 'warn' : ''}` }, fmtInt(p.deliveries)),
      ];
      if (state.payloads) cells.push(el('td', { class: 'fields' }, p.fields ? p.fields.join(' ') : '(deleted)'));
      if (canAct) {
        const target = el('select', { 'aria-label': 'claim to consumer' }, g.consumers.filter((c) => c.name !== p.consumer).map((c) => el('option', { value: c.ref }, c.name)));
        cells.push(el('td', {},
          el('button', { onclick: () => act({ action: 'xack', db: s.db, key: s.ref, group: g.ref, id: p.id }) }, 'XACK'), ' ',
          target, ' ',
          el('button', { onclick: () => target.value && act({ action: 'xclaim', db: s.db, key: s.ref, group: g.ref, id: p.id, consumer: target.value }) }, 'XCLAIM'),
        ));
      }
      return el('tr', {}, cells);
    })),
  );
  const facts = el('div', { class: 'facts' },
    el('span', {}, 'lag ', el('b', { 'data-lag-for': `${s.key}/${g.name}` }, g.lag === null ? 'unknown' : String(g.lag))),
    el('span', {}, 'pending ', el('b', { 'data-pending-for': `${s.key}/${g.name}` }, String(g.pending))),
    el('span', {}, 'consumers ', el('b', {}, String(g.consumersTotal))),
    el('span', {}, 'last delivered ', el('b', {}, g.lastDeliveredId)),
    el('span', {}, 'entries read ', el('b', {}, g.entriesRead === null ? 'unknown' : fmtInt(g.entriesRead))),
    el('span', {}, 'max deliveries ', el('b', {}, fmtInt(g.maxDeliveries))),
  );
  const setid = canAct
    ? el('form', { class: 'facts', onsubmit: (e) => { e.preventDefault(); const v = e.target.elements.id.value.trim(); if (v) act({ action: 'setid', db: s.db, key: s.ref, group: g.ref, id: v }); } },
        el('label', {}, 'XGROUP SETID ', el('input', { name: 'id', type: 'search', placeholder: 'ID or $', size: 22 })), el('button', { type: 'submit' }, 'Set'))
    : null;
  return el('div', { class: 'group', 'data-group': g.name },
    el('h3', {}, `Group ${g.name}`),
    facts,
    setid,
    el('div', { class: 'cols' },
      el('div', {}, el('h4', {}, 'Consumers'), consumers),
      el('div', {}, el('h4', {}, g.pelTruncated ? 'Oldest pending entries (of the first 10,000 by ID)' : 'Oldest pending entries'), g.oldest.length ? oldest : el('p', { class: 'muted' }, 'Nothing pending.')),
    ),
  );
}

async function act(body) {
  const res = await fetch('api/action', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const r = await res.json().catch(() => ({}));
  $('#message').textContent = res.ok ? `${body.action.toUpperCase()} ${body.id}: done` : `${body.action.toUpperCase()} ${body.id}: ${r.error || res.status}`;
}

// ---- controls ----

$('#search').addEventListener('input', (e) => { query = e.target.value.trim().toLowerCase(); if (state) renderTable(); });
for (const th of document.querySelectorAll('#streams th[data-sort]')) {
  th.addEventListener('click', () => {
    if (sortKey === th.dataset.sort) sortAsc = !sortAsc;
    else { sortKey = th.dataset.sort; sortAsc = sortKey === 'key' || sortKey === 'db'; }
    if (state) renderTable();
  });
}
$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: $('#password').value }) });
  $('#password').value = '';
  $('#login-msg').textContent = res.ok ? 'signed in' : 'wrong password';
});

poll();
