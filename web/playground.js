// The page: settings, controls, and drawing. The numbers all come from fcnn in worker.js.
// For tests and people, #status, #epoch, #batch, #loss, #accuracy and #bp-panel stay current;
// window.playground.redraws counts the heat map's redraws.
'use strict';

const BLUE = [8, 119, 189], ORANGE = [232, 113, 10], WHITE = [255, 255, 255];
const worker = new Worker('worker.js');
const $ = (id) => document.getElementById(id);
const playground = window.playground = {redraws: 0, frames: 0, record: null};

let query = location.search.replace(/^\?/, '');
let autorunPending = true;  // the URL's autorun runs once, on load
let data = null;            // the data set: X (2 x n), Y (1 x n), center, extent
let curve = [];             // [epoch, loss, accuracy] per epoch
let layers = [];            // the current W and b of every layer
let batchColumns = [];      // the samples of the last Step, ringed on the heat map
let snippets = null;        // bp-panel.md: per tab, its text and quoted source blocks
let bpTab = 'bp1';

// ---- talking to the worker

function send(type, fields = {}) { worker.postMessage({type, ...fields}); }
function setStatus(text) { $('status').textContent = text; }

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
  if (message) setStatus('error');
}

function configure() {
  showError('');
  setStatus('loading');
  curve = [];
  batchColumns = [];
  playground.record = null;
  renderPanel();
  send('configure', {query});
}

worker.onmessage = ({data: message}) => {
  if (message.type === 'ready') configure();
  else if (message.type === 'configured') onConfigured(message.data);
  else if (message.type === 'frame') onFrame(message);
  else if (message.type === 'error') showError(message.message);
};
worker.onerror = (event) => showError('the worker failed: ' + event.message);

function onConfigured(answer) {
  data = answer;
  fillForm(answer.settings);
  const autorun = Number(answer.settings.autorun);
  if (autorunPending && autorun > 0) {
    send('train', {stopAt: autorun});
    setStatus('training');
  } else {
    setStatus('ready');
  }
  autorunPending = false;
}

function onFrame({state, grid, size, record, done}) {
  for (const [epoch, loss, accuracy] of state.history) curve.push([epoch, loss, accuracy]);
  layers = state.layers;
  $('epoch').textContent = String(state.epoch);
  $('batch').textContent = String(state.batch);
  $('batch').title = `batches done in this epoch, of ${state.batches}`;
  if (curve.length) {
    const [, loss, accuracy] = curve[curve.length - 1];
    $('loss').textContent = loss;
    $('accuracy').textContent = String(Number(accuracy));  // 0.975, not %.17g's 0.97499999999999998
  }
  if (record) {
    playground.record = record;
    batchColumns = record.columns;
    renderPanel();
  }
  drawHeatmap(grid, size);
  drawCurves();
  drawNetwork();
  if (done) setStatus('done');
  playground.frames += 1;
  send('drawn');
}

// ---- settings: the URL query is the truth; the form shows it and writes it

const form = $('settings-form');

function fillForm(settings) {
  for (const [key, value] of Object.entries(settings)) {
    const field = form.elements.namedItem(key);
    if (field) field.value = field.type === 'number' ? String(Number(value)) : value;
  }
}

function formQuery() {
  const pairs = [];
  for (const field of form.elements) if (field.name) pairs.push(`${field.name}=${encodeURIComponent(field.value.trim())}`);
  return pairs.join('&').replace(/%2C/g, ',');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  query = formQuery();
  history.replaceState(null, '', '?' + query);
  configure();
});
$('train').onclick = () => { send('train', {stopAt: 0}); setStatus('training'); };
$('pause').onclick = () => { send('pause'); setStatus('paused'); };
$('step').onclick = () => { send('step'); setStatus('paused'); };
$('reset').onclick = () => configure();

// ---- drawing

function mix(a, b, t) { return a.map((x, i) => Math.round(x + (b[i] - x) * t)); }

// 0 is orange, 1 is blue, 0.5 white; outside [0, 1] (a linear output) the ends.
function outputColour(v) {
  if (!Number.isFinite(v)) return [150, 150, 150];
  const t = Math.min(1, Math.max(0, v));
  return t < 0.5 ? mix(ORANGE, WHITE, t * 2) : mix(WHITE, BLUE, (t - 0.5) * 2);
}

const raster = document.createElement('canvas');

function toCanvas(x, y, width, height) {
  return [((x - data.center) / data.extent + 1) / 2 * width, (1 - (y - data.center) / data.extent) / 2 * height];
}

// outputColour at 256 levels, made once: a frame then costs one table look-up per pixel.
const palette = Array.from({length: 256}, (_, i) => outputColour(i / 255));

function drawHeatmap(grid, size) {
  const canvas = $('heatmap'), ctx = canvas.getContext('2d');
  if (raster.width !== size) raster.width = raster.height = size;
  const rctx = raster.getContext('2d'), image = rctx.createImageData(size, size), pixels = image.data;
  for (let i = 0; i < size * size; ++i) {
    const v = grid[i], [r, g, b] = Number.isFinite(v) ? palette[Math.round(Math.min(1, Math.max(0, v)) * 255)] : [150, 150, 150];
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = 200;
  }
  rctx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(raster, 0, 0, canvas.width, canvas.height);
  drawPoints(ctx, canvas.width, canvas.height);
  playground.redraws += 1;
}

function drawPoints(ctx, width, height) {
  if (!data) return;
  const n = data.X.cols, ringed = new Set(batchColumns);
  for (let j = 0; j < n; ++j) {
    const [px, py] = toCanvas(data.X.values[j], data.X.values[n + j], width, height);
    ctx.beginPath();
    ctx.arc(px, py, ringed.has(j) ? 5.5 : 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = data.Y.values[j] >= 0.5 ? 'rgb(8,119,189)' : 'rgb(232,113,10)';
    ctx.fill();
    ctx.lineWidth = ringed.has(j) ? 2.5 : 1;
    ctx.strokeStyle = ringed.has(j) ? '#111' : '#fff';
    ctx.stroke();
  }
}

function drawCurves() {
  const canvas = $('curves'), ctx = canvas.getContext('2d'), w = canvas.width, h = canvas.height;
  const left = 34, bottom = h - 18, top = 8, right = w - 6;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#d9dee3';
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.fillStyle = '#616e7c';
  ctx.font = '11px system-ui, sans-serif';
  const epochs = curve.length ? curve[curve.length - 1][0] : 0;
  const largest = Math.max(1e-12, ...curve.map(([, loss]) => Number(loss)).filter(Number.isFinite));
  ctx.fillText(largest.toPrecision(2), 2, top + 9);
  ctx.fillText('0', 22, bottom);
  ctx.fillText(`epoch ${epochs}`, right - 70, h - 4);
  const line = (value, max, colour) => {
    ctx.beginPath();
    curve.forEach((entry, i) => {
      const x = left + (right - left) * (curve.length === 1 ? 1 : i / (curve.length - 1));
      const y = bottom - (bottom - top) * Math.min(1, Number(value(entry)) / max);
      i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y);
    });
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.8;
    ctx.stroke();
  };
  line(([, loss]) => loss, largest, '#1f2933');
  line(([, , accuracy]) => accuracy, 1, 'rgb(8,119,189)');
}

function drawNetwork() {
  const canvas = $('network'), ctx = canvas.getContext('2d'), w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (!layers.length) return;
  const sizes = [layers[0].W.cols, ...layers.map((layer) => layer.W.rows)];
  const x = (l) => 30 + (w - 60) * l / (sizes.length - 1);
  const y = (l, i) => h / 2 + (i - (sizes[l] - 1) / 2) * Math.min(26, (h - 30) / Math.max(1, sizes[l] - 1));
  layers.forEach((layer, l) => {
    for (let i = 0; i < layer.W.rows; ++i)
      for (let k = 0; k < layer.W.cols; ++k) {
        const weight = layer.W.values[i * layer.W.cols + k];
        ctx.beginPath();
        ctx.moveTo(x(l), y(l, k));
        ctx.lineTo(x(l + 1), y(l + 1, i));
        ctx.lineWidth = Math.min(7, 0.4 + 1.6 * Math.abs(weight));
        ctx.strokeStyle = weight >= 0 ? 'rgba(8,119,189,0.75)' : 'rgba(232,113,10,0.75)';
        ctx.stroke();
      }
  });
  ctx.font = '11px system-ui, sans-serif';
  sizes.forEach((n, l) => {
    for (let i = 0; i < n; ++i) {
      ctx.beginPath();
      ctx.arc(x(l), y(l, i), 7, 0, 2 * Math.PI);
      const bias = l > 0 ? layers[l - 1].b.values[i] : 0;
      ctx.fillStyle = l === 0 ? '#fff' : `rgb(${outputColour(0.5 + Math.tanh(bias) / 2).join(',')})`;
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = '#1f2933';
      ctx.stroke();
    }
    ctx.fillStyle = '#616e7c';
    ctx.fillText(l === 0 ? 'input' : l === sizes.length - 1 ? 'output' : `layer ${l}`, x(l) - 16, h - 4);
  });
  ctx.fillText('x', x(0) - 22, y(0, 0) + 4);
  ctx.fillText('y', x(0) - 22, y(0, 1) + 4);
}

// ---- the backprop panel

// bp-panel.md: "## tab" headings, a paragraph, then "<!-- snippet FILE REGION -->" blocks.
function parseSnippets(text) {
  const tabs = {};
  let tab = null, region = null, code = null;
  for (const line of text.split('\n')) {
    const heading = line.match(/^## (\S+)/), marker = line.match(/^<!-- snippet (\S+) (\S+) -->/);
    if (code !== null) {
      if (line === '```') { tabs[tab].sources.push({...region, code: code.join('\n')}); code = null; }
      else if (!line.startsWith('```') || code.length) code.push(line);
    } else if (heading) { tab = heading[1]; tabs[tab] = {text: [], sources: []}; }
    else if (marker && tab) { region = {file: marker[1], region: marker[2]}; code = []; }
    else if (tab && line.trim() && !line.startsWith('```')) tabs[tab].text.push(line);
  }
  for (const entry of Object.values(tabs)) entry.text = entry.text.join(' ');
  return tabs;
}
fetch('bp-panel.md').then((response) => response.text()).then((text) => { snippets = parseSnippets(text); renderPanel(); });

const fmt = (x) => x === null ? 'nan' : String(Number(x.toPrecision(6)));  // as the gdb printers' %.6g

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'html') node.innerHTML = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const SHOWN_COLUMNS = 12;

// A matrix as a grid of its numbers; data-values keeps every entry at full precision.
function matrixView(label, name, M, transpose = false) {
  const rows = transpose ? M.cols : M.rows, cols = transpose ? M.rows : M.cols;
  const at = (r, c) => transpose ? M.values[c * M.cols + r] : M.values[r * M.cols + c];
  const table = el('table', {'data-matrix': name, 'data-rows': rows, 'data-cols': cols,
                             'data-values': JSON.stringify(Array.from({length: rows * cols}, (_, i) => at(Math.floor(i / cols), i % cols)))});
  table.append(el('caption', {html: `${label} <span class="shape">${rows}&times;${cols}</span>`}));
  for (let r = 0; r < rows; ++r) {
    const tr = el('tr');
    for (let c = 0; c < Math.min(cols, SHOWN_COLUMNS); ++c) {
      const v = at(r, c);
      tr.append(el('td', {text: fmt(v), class: v > 0 ? 'positive' : v < 0 ? 'negative' : ''}));
    }
    if (cols > SHOWN_COLUMNS) tr.append(el('td', {text: '…'}));
    table.append(tr);
  }
  return el('div', {class: 'matrix'}, [table]);
}

const op = (text) => el('span', {class: 'operator', html: text});
const sup = (base, power) => `${base}<sup>${power}</sup>`;

// Each tab: its equation, the shapes, the matrices (factors, then the result).
function panelSteps(r) {
  const L = r.delta.length, n = r.x.cols, steps = [];
  const bp1 = r.factors.bp1;
  steps.push({tab: 'forward', title: 'forward pass', equation: `Z${sup('', 'l')} = W${sup('', 'l')} A${sup('', 'l&minus;1')} + B${sup('', 'l')},&nbsp; A${sup('', 'l')} = &sigma;(Z${sup('', 'l')})`,
    shapes: `A^0 = X: ${r.x.rows}x${n} (samples ${r.columns.join(', ')})`,
    views: [matrixView('A<sup>0</sup> = x', 'a^0', r.a_s[0]), ...r.z_s.flatMap((z, l) => [
      matrixView(`z<sup>${l + 1}</sup>`, `z^${l + 1}`, z), matrixView(`a<sup>${l + 1}</sup> = ${r.before[l].activation}(z<sup>${l + 1}</sup>)`, `a^${l + 1}`, r.a_s[l + 1])])]});
  steps.push({tab: 'bp1', title: `BP1: the output error δ^${L}`,
    equation: bp1.cancels ? `&delta;${sup('', L)} = a${sup('', L)} &minus; y &nbsp;<small>(${r.cost_name} with sigmoid: &sigma;&prime; cancels)</small>`
                          : `&delta;${sup('', L)} = &nabla;<sub>a</sub>C &odot; &sigma;&prime;(z${sup('', L)})`,
    shapes: `delta^${L}: ${r.delta[L - 1].rows}x${n}, like z^${L}`,
    views: bp1.cancels ? [matrixView(`a<sup>${L}</sup>`, `a^${L}`, r.a_s[L]), op('&minus;'), matrixView('y', 'y', r.y), op('='), matrixView(`&delta;<sup>${L}</sup>`, `delta^${L}`, r.delta[L - 1])]
                       : [matrixView('&nabla;<sub>a</sub>C', 'nabla_a', bp1.nabla_a), op('&odot;'), matrixView(`&sigma;&prime;(z<sup>${L}</sup>)`, `sigma_prime^${L}`, bp1.sigma_prime), op('='), matrixView(`&delta;<sup>${L}</sup>`, `delta^${L}`, r.delta[L - 1])]});
  r.factors.bp2.forEach((f, k) => {
    const l = L - 1 - k;  // math numbering: layers L-1 .. 1
    steps.push({tab: 'bp2', label: `BP2 l=${l}`, title: `BP2: δ^${l} from δ^${l + 1}`,
      equation: `&delta;${sup('', l)} = ((W${sup('', l + 1)})${sup('', 'T')} &delta;${sup('', l + 1)}) &odot; &sigma;&prime;(z${sup('', l)})`,
      shapes: `(W^${l + 1})^T: ${r.before[l].W.cols}x${r.before[l].W.rows}, delta^${l + 1}: ${r.delta[l].rows}x${n}, delta^${l}: ${r.delta[l - 1].rows}x${n}`,
      views: [matrixView(`(W<sup>${l + 1}</sup>)<sup>T</sup> &delta;<sup>${l + 1}</sup>`, `back^${l}`, f.back), op('&odot;'),
              matrixView(`&sigma;&prime;(z<sup>${l}</sup>)`, `sigma_prime^${l}`, f.sigma_prime), op('='), matrixView(`&delta;<sup>${l}</sup>`, `delta^${l}`, r.delta[l - 1])]});
  });
  steps.push({tab: 'bp3', title: 'BP3: the bias gradients', equation: `&nabla;<sub>b</sub>${sup('', 'l')} = (1/n) &Sigma;<sub>x</sub> &delta;${sup('', 'l')}<sub>x</sub> &nbsp;<small>(n = ${n})</small>`,
    shapes: r.delta.map((d, l) => `nabla_b^${l + 1}: ${d.rows}x1`).join(', '),
    views: r.delta.flatMap((d, l) => [matrixView(`&delta;<sup>${l + 1}</sup>`, `bp3-delta^${l + 1}`, d), op('&rarr;'), matrixView(`&nabla;<sub>b</sub><sup>${l + 1}</sup>`, `nabla_b^${l + 1}`, r.nabla_b[l])])});
  steps.push({tab: 'bp4', title: 'BP4: the weight gradients', equation: `&nabla;<sub>W</sub>${sup('', 'l')} = (1/n) &delta;${sup('', 'l')} (a${sup('', 'l&minus;1')})${sup('', 'T')}`,
    shapes: r.nabla_w.map((g, l) => `nabla_w^${l + 1}: ${g.rows}x${g.cols}`).join(', '),
    views: r.delta.flatMap((d, l) => [matrixView(`&delta;<sup>${l + 1}</sup>`, `bp4-delta^${l + 1}`, d), matrixView(`(a<sup>${l}</sup>)<sup>T</sup>`, `a^${l}-transposed`, r.a_s[l], true), op('&rarr;'), matrixView(`&nabla;<sub>W</sub><sup>${l + 1}</sup>`, `nabla_w^${l + 1}`, r.nabla_w[l])])});
  steps.push({tab: 'update', title: 'the update', equation: `W${sup('', 'l')} &larr; W${sup('', 'l')} &minus; &eta; &nabla;<sub>W</sub>${sup('', 'l')},&nbsp; b${sup('', 'l')} &larr; b${sup('', 'l')} &minus; &eta; &nabla;<sub>b</sub>${sup('', 'l')} &nbsp;<small>(sgd; momentum and Adam keep state: optimizer.hpp)</small>`,
    shapes: `batch cost before the step: ${r.cost}`,
    views: r.before.flatMap((layer, l) => [matrixView(`W<sup>${l + 1}</sup> before`, `W^${l + 1}-before`, layer.W), op('&rarr;'), matrixView(`W<sup>${l + 1}</sup> after`, `W^${l + 1}-after`, r.after[l].W)])});
  return steps;
}

function renderPanel() {
  const tabs = $('bp-tabs'), body = $('bp-body');
  tabs.replaceChildren();
  body.replaceChildren();
  const r = playground.record;
  if (!r) return;
  const steps = panelSteps(r);
  if (!steps.some((s) => (s.label || s.tab) === bpTab)) bpTab = 'bp1';
  for (const step of steps) {
    const name = step.label || step.tab;
    const button = el('button', {text: name.replace(/^bp/, 'BP'), class: name === bpTab ? 'current' : '', 'data-tab': name});
    button.onclick = () => { bpTab = name; renderPanel(); };
    tabs.append(button);
    const quoted = snippets && snippets[step.tab];
    const section = el('div', {class: 'bp-step', 'data-step': name}, [
      el('h3', {text: step.title}), el('p', {class: 'equation', html: step.equation}), el('p', {class: 'shapes', text: step.shapes}),
      el('div', {class: 'matrices'}, step.views),
      ...(quoted ? [el('p', {text: quoted.text}), ...quoted.sources.flatMap((s) => [
        el('p', {class: 'source-name', text: `${s.file}, region ${s.region}`}), el('pre', {class: 'source', 'data-region': s.region}, [el('code', {text: s.code})])])] : [])]);
    section.hidden = name !== bpTab;
    body.append(section);
  }
}

// ---- the heat map's redraw rate, shown while training

let lastCount = 0, lastTime = performance.now();
setInterval(() => {
  const now = performance.now(), rate = (playground.redraws - lastCount) * 1000 / (now - lastTime);
  $('redraw-rate').textContent = $('status').textContent === 'training' ? `${rate.toFixed(0)} redraws/s` : '–';
  lastCount = playground.redraws;
  lastTime = now;
}, 1000);
