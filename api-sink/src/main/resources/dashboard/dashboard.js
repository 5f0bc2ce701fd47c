// The dashboard: live figures and leaderboards (GET /api/v1/networks/summary), a ticker of the change feed
// (GET /api/v1/networks/updates/stream, or polling updates/since where the stream is not served), and an insider
// view (profile, network to degree 1-3 drawn with ECharts' force-directed graph series).
/* global echarts */

const KEY_STORAGE = 'insider-network-api-key';
const SUMMARY_EVERY_MS = 2000;
const POLL_EVERY_MS = 2000;
const RATE_POINTS = 90;
const TICKER_LINES = 40;
const PAGE_LIMIT = 200;
const PROFILE_FETCHES = 300;
const STILL_LAYOUT_NODES = 600;
const STATUS_COLOURS = { ROOT: '#d84315', SIGNED_UP: '#2e7d32', INVITED: '#1565c0', ANONYMOUS: '#9e9e9e' };
const CATEGORIES = Object.keys(STATUS_COLOURS);

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en-US');
let apiKey = sessionStorage.getItem(KEY_STORAGE);
let stopped = false;
const timers = [];
let feedAbort = null;

class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, signal) {
  const response = await fetch(path, { headers: { 'X-API-Key': apiKey, Accept: 'application/json' }, signal });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (response.status === 401) {
    forgetKey('The API key was refused (401). Enter a valid key.');
  }
  if (!response.ok) {
    throw new ApiFailure(response.status, body);
  }
  return body;
}

function setStatus(text) {
  $('status').textContent = text;
}

// ---- key ---------------------------------------------------------------------------------------------------

function forgetKey(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  apiKey = null;
  stopped = true;
  timers.forEach(clearInterval);
  timers.length = 0;
  if (feedAbort) {
    feedAbort.abort();
  }
  $('main').hidden = true;
  $('key-forget').hidden = true;
  setStatus(message || 'Enter an API key to start.');
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('api-key').value.trim();
  if (!value) {
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, value);
  apiKey = value;
  $('api-key').value = '';
  start();
});
$('key-forget').addEventListener('click', () => forgetKey());

// ---- live figures and leaderboards ---------------------------------------------------------------------------

const rateChart = echarts.init($('rate-chart'));
const ratePoints = [];
rateChart.setOption({
  animation: false,
  grid: { left: 50, right: 15, top: 15, bottom: 30 },
  tooltip: { trigger: 'axis' },
  xAxis: { type: 'time', min: 'dataMin', max: 'dataMax', splitNumber: 4 },
  yAxis: { type: 'value', minInterval: 1 },
  series: [{ name: 'events/s', type: 'line', showSymbol: false, areaStyle: { opacity: 0.15 }, data: ratePoints }],
});
let previous = null;

async function refreshSummary() {
  try {
    const { data } = await api('/api/v1/networks/summary?top=10');
    const now = Date.now();
    const events = data.shares + data.purchases + data.insiders;
    if (previous && now > previous.at) {
      const rate = Math.max(0, (events - previous.events) * 1000 / (now - previous.at));
      $('fig-rate').textContent = fmt.format(Math.round(rate));
      ratePoints.push([now, Math.round(rate * 10) / 10]);
      if (ratePoints.length > RATE_POINTS) {
        ratePoints.shift();
      }
      rateChart.setOption({ series: [{ data: ratePoints }] });
    }
    previous = { at: now, events };
    $('fig-insiders').textContent = fmt.format(data.insiders);
    $('fig-connections').textContent = fmt.format(data.connections);
    $('fig-behind').textContent = data.seconds_behind === null ? '–' : fmt.format(data.seconds_behind);
    renderLeaderboards(data.networks);
    setStatus(`Connected · updated ${new Date(now).toLocaleTimeString()}`);
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 503) {
      setStatus('The API is rebalancing or restoring; retrying.');
    } else if (!stopped) {
      setStatus(`Summary failed: ${e.message}`);
    }
  }
}

function renderLeaderboards(networks) {
  const root = $('leaderboards');
  root.replaceChildren(...networks.map((n) => {
    const board = document.createElement('div');
    board.className = 'board';
    board.dataset.network = n.network_id;
    const title = document.createElement('h3');
    title.textContent = `${n.network_id} · ${fmt.format(n.insiders)} insiders · ${fmt.format(n.connections)} connections`;
    board.append(title,
      table('Top by total generated amount', n.top_by_generated_amount, 'total_generated_amount', 'generated'),
      table('Top by first-degree network size', n.top_by_first_degree, 'first_degree', 'first degree'));
    return board;
  }));
}

function table(caption, leaders, field, heading) {
  const t = document.createElement('table');
  const c = t.createCaption();
  c.textContent = caption;
  const head = t.createTHead().insertRow();
  ['#', 'insider', heading].forEach((h, i) => {
    const th = document.createElement('th');
    th.textContent = h;
    if (i !== 1) {
      th.className = 'num';
    }
    head.append(th);
  });
  const body = t.createTBody();
  leaders.forEach((l, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = String(i + 1);
    row.cells[0].className = 'num';
    const link = document.createElement('a');
    link.textContent = l.insider_id;
    link.addEventListener('click', () => openInsider(l.insider_id));
    row.insertCell().append(link);
    const value = row.insertCell();
    value.className = 'num';
    value.textContent = fmt.format(Number(l[field]));
  });
  return t;
}

// ---- ticker: the live feed --------------------------------------------------------------------------------

const seen = new Set();
const seenOrder = [];

function addTicker(update) {
  const key = `${update.insider_id}|${update.updated_at}|${update.update_type}|${JSON.stringify(update.connections)}`;
  if (seen.has(key)) {
    return;
  }
  seen.add(key);
  seenOrder.push(key);
  if (seenOrder.length > 5000) {
    seen.delete(seenOrder.shift());
  }
  const li = document.createElement('li');
  const changes = (update.connections?.length || 0) + (update.anonymous_connections?.length || 0);
  li.textContent = `${update.updated_at.substring(11, 19)} ${update.update_type} ${update.insider_id}`
    + (changes ? ` (${changes} connection${changes > 1 ? 's' : ''})` : '');
  li.dataset.insider = update.insider_id;
  const ticker = $('ticker');
  ticker.prepend(li);
  while (ticker.children.length > TICKER_LINES) {
    ticker.lastElementChild.remove();
  }
}

// Server-sent events read with fetch (EventSource cannot send the X-API-Key header).
async function streamFeed() {
  let lastEventId = null;
  while (!stopped) {
    feedAbort = new AbortController();
    const headers = { 'X-API-Key': apiKey, Accept: 'text/event-stream' };
    if (lastEventId) {
      headers['Last-Event-ID'] = lastEventId;
    }
    let response;
    try {
      response = await fetch('/api/v1/networks/updates/stream', { headers, signal: feedAbort.signal });
    } catch (e) {
      if (stopped) {
        return;
      }
      $('fig-feed').textContent = 'reconnecting';
      await delay(2000);
      continue;
    }
    if (response.status === 404 || response.status === 405) {
      $('fig-feed').textContent = 'polling';
      pollFeed();
      return;
    }
    if (response.status === 401) {
      forgetKey('The API key was refused (401). Enter a valid key.');
      return;
    }
    if (!response.ok || !response.body) {
      $('fig-feed').textContent = `stream ${response.status}; retrying`;
      await delay(Number(response.headers.get('Retry-After') || 2) * 1000);
      continue;
    }
    $('fig-feed').textContent = 'live stream';
    try {
      lastEventId = await readEvents(response.body, lastEventId);
    } catch (e) {
      if (stopped) {
        return;
      }
    }
    $('fig-feed').textContent = 'reconnecting';
    await delay(500);
  }
}

// Reads one stream until it ends; answers the id to resume from (an event's id or a resume event's cursor).
async function readEvents(body, resumeFrom) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last = resumeFrom;
  let event = { type: 'message', data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return last;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (buffer[newline] === '\r' && newline === buffer.length - 1) {
        break; // a CR at the end of a chunk may be the first half of CRLF
      }
      const line = buffer.substring(0, newline);
      buffer = buffer.substring(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length) {
          last = dispatch(event, last);
        }
        event = { type: 'message', data: [], id: null };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.substring(0, colon);
        let content = colon < 0 ? '' : line.substring(colon + 1);
        if (content.startsWith(' ')) {
          content = content.substring(1);
        }
        if (field === 'event') {
          event.type = content;
        } else if (field === 'data') {
          event.data.push(content);
        } else if (field === 'id') {
          event.id = content;
        }
      }
    }
  }
}

function dispatch(event, last) {
  const data = JSON.parse(event.data.join('\n'));
  if (event.type === 'resume') {
    return data.cursor || last;
  }
  if (event.type === 'update') {
    addTicker(data);
  }
  return event.id || last;
}

// Where the stream is not served: updates/since every few seconds from the newest time seen.
function pollFeed() {
  let since = new Date(Date.now() - 60_000).toISOString();
  let cursor = null;
  const poll = async () => {
    try {
      const path = `/api/v1/networks/updates/since/${encodeURIComponent(since)}?limit=200`
        + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
      const page = await api(path);
      page.data.updates.forEach(addTicker);
      if (page.pagination.hasNext) {
        cursor = page.pagination.nextCursor;
      } else {
        const updates = page.data.updates;
        if (updates.length) {
          since = updates[updates.length - 1].updated_at;
        }
        cursor = null;
      }
    } catch (e) {
      if (!stopped) {
        $('fig-feed').textContent = `polling (${e.message})`;
      }
    }
  };
  poll();
  timers.push(setInterval(poll, POLL_EVERY_MS));
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- insider view ----------------------------------------------------------------------------------------

const graph = echarts.init($('graph'));
const nodes = new Map();
const edges = new Map();
let graphToken = 0;

$('insider-form').addEventListener('submit', (event) => {
  event.preventDefault();
  openInsider($('insider-id').value.trim());
});
graph.on('click', (params) => {
  if (params.dataType === 'node' && params.data.insider) {
    expand(params.data.id);
  }
});

function drawGraph() {
  const data = [...nodes.values()];
  const links = [...edges.values()];
  graph.setOption({
    tooltip: { formatter: (p) => (p.dataType === 'node' ? `${p.data.id}<br>${p.data.status} · first degree ${p.data.size ?? '?'}`
      : `weight ${p.data.weight.toFixed(3)}`) },
    legend: [{ data: CATEGORIES }],
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      // small graphs are laid out at once (nodes stay where a click finds them); large ones animate
      force: { repulsion: Math.max(12, Math.min(150, 15000 / data.length)), edgeLength: [10, 70], gravity: 0.12,
        layoutAnimation: data.length > STILL_LAYOUT_NODES },
      categories: CATEGORIES.map((name) => ({ name, itemStyle: { color: STATUS_COLOURS[name] } })),
      data, links, emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'source', opacity: 0.6 },
    }],
  }, { replaceMerge: ['series'] });
  $('graph').dataset.nodeCount = String(data.length);
  $('graph').dataset.edgeCount = String(links.length);
  $('graph-info').textContent = `${data.length} nodes, ${links.length} edges`;
}

function nodeSize(firstDegree) {
  return firstDegree === undefined ? 6 : 5 + Math.min(25, 2.5 * Math.sqrt(firstDegree));
}

function addNode(id, status, insider) {
  if (!nodes.has(id)) {
    nodes.set(id, { id, name: id, status, insider, category: CATEGORIES.indexOf(status), symbolSize: nodeSize() });
  }
}

function addEdge(source, target, weight) {
  const key = `${source}|${target}`;
  if (!edges.has(key) && source !== target) {
    edges.set(key, { source, target, weight, lineStyle: { width: 0.5 + 5 * weight } });
  }
}

// every page of /network at one degree
async function networkAt(id, degree, token) {
  const entries = [];
  let next = null;
  do {
    const page = await api(`/api/v1/insiders/${encodeURIComponent(id)}/network?degree=${degree}&limit=${PAGE_LIMIT}`
      + (next ? `&connectionsToken=${encodeURIComponent(next)}` : ''));
    if (token !== graphToken) {
      return null;
    }
    const analysis = page.data.network_analysis;
    analysis.connections.forEach((c) => entries.push({ id: c.insider_id, status: c.signup_status, insider: true,
      through: c.connecting_through || id, weight: c.weight }));
    analysis.anonymous_connections.forEach((c) => entries.push({ id: c.recipient, status: 'ANONYMOUS',
      insider: false, through: c.connecting_through || id, weight: c.weight }));
    next = page.pagination.hasNext ? page.pagination.nextToken : null;
  } while (next);
  return entries;
}

async function openInsider(id) {
  $('insider-id').value = id;
  $('insider-error').textContent = '';
  const degree = Number($('degree').value);
  const token = ++graphToken;
  $('graph').dataset.state = 'loading';
  delete $('graph').dataset.expanded;
  delete $('graph').dataset.sized;
  nodes.clear();
  edges.clear();
  try {
    const { data } = await api(`/api/v1/insiders/${encodeURIComponent(id)}`);
    renderProfile(data);
    addNode(id, 'ROOT', true);
    nodes.get(id).size = data.profile.network_size.first_degree;
    nodes.get(id).symbolSize = nodeSize(data.profile.network_size.first_degree);
    for (let d = 1; d <= degree; d++) {
      const entries = await networkAt(id, d, token);
      if (entries === null) {
        return;
      }
      entries.forEach((e) => {
        addNode(e.id, e.status, e.insider);
        addEdge(e.through, e.id, e.weight);
      });
    }
    drawGraph();
    $('graph').dataset.state = 'drawn';
    $('graph').dataset.insider = id;
    $('graph').dataset.degree = String(degree);
    sizeNodes(token);
  } catch (e) {
    $('graph').dataset.state = 'failed';
    $('insider-error').textContent = e instanceof ApiFailure && e.status === 404 ? `Insider ${id} not found.`
      : `Could not load ${id}: ${e.message}`;
  }
}

// node size by first-degree network size: the profiles of the drawn insiders (at most PROFILE_FETCHES, 6 at a time)
async function sizeNodes(token) {
  const pending = [...nodes.values()].filter((n) => n.insider && n.size === undefined).slice(0, PROFILE_FETCHES);
  const worker = async () => {
    while (pending.length && token === graphToken) {
      const node = pending.shift();
      try {
        const { data } = await api(`/api/v1/insiders/${encodeURIComponent(node.id)}`);
        node.size = data.profile.network_size.first_degree;
        node.symbolSize = nodeSize(node.size);
      } catch (e) {
        if (e instanceof ApiFailure && (e.status === 429 || e.status === 503)) {
          // the key's rate limit (or a rebalance): wait as told, then try this node again
          pending.unshift(node);
          await delay(1000 * Number(e.body?.error?.retry_after || 1));
        }
      }
    }
  };
  await Promise.all([1, 2, 3, 4, 5, 6].map(worker));
  if (token === graphToken) {
    drawGraph();
    $('graph').dataset.sized = 'true';
  }
}

// a click on an insider adds its first-degree network to the drawing
async function expand(id) {
  const token = graphToken;
  delete $('graph').dataset.sized;
  try {
    const entries = await networkAt(id, 1, token);
    if (entries === null) {
      return;
    }
    entries.forEach((e) => {
      addNode(e.id, e.status, e.insider);
      addEdge(id, e.id, e.weight);
    });
    drawGraph();
    $('graph').dataset.expanded = id;
    sizeNodes(token);
  } catch (e) {
    $('insider-error').textContent = `Could not expand ${id}: ${e.message}`;
  }
}

function renderProfile(data) {
  const p = data.profile;
  const rows = [
    ['insider', data.insider_id],
    ['joined', data.joined_date],
    ['updated', data.time_updated],
    ['total shares', fmt.format(p.total_shares)],
    ['conversion rate', Number(p.conversion_rate).toFixed(3)],
    ['total generated', fmt.format(Number(p.total_generated_amount))],
    ['total purchases', fmt.format(Number(p.total_purchase_amount))],
    ['user value', fmt.format(Number(p.user_value))],
    ['first degree', fmt.format(p.network_size.first_degree)],
    ['second degree', fmt.format(p.network_size.second_degree)],
    ['third degree', fmt.format(p.network_size.third_degree)],
  ];
  $('profile').replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.field = k.replace(/ /g, '_');
    return [dt, dd];
  }));
}

// ---- start -------------------------------------------------------------------------------------------------

function start() {
  stopped = false;
  $('main').hidden = false;
  $('key-forget').hidden = false;
  setStatus('Connecting…');
  // the charts were created while the page was hidden: size them once it is laid out
  requestAnimationFrame(() => {
    rateChart.resize();
    graph.resize();
  });
  refreshSummary();
  timers.push(setInterval(refreshSummary, SUMMARY_EVERY_MS));
  streamFeed();
}

// charts follow their boxes' size (also when the page is first shown)
new ResizeObserver(() => rateChart.resize()).observe($('rate-chart'));
new ResizeObserver(() => graph.resize()).observe($('graph'));
window.dashboard = { openInsider, expand };

if (apiKey) {
  start();
}
