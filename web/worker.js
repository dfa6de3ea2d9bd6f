// The Web Worker that runs fcnn (compiled to WebAssembly) for the page, so that training never
// blocks the page. Messages in: configure {query}, train {stopAt}, pause, step, drawn.
// Messages out: ready, configured {data}, frame {state, grid, size, record, done}, error {message}.
'use strict';
importScripts('fcnn-playground.js');

const GRID = 48;         // the heat map's raster: GRID x GRID outputs a^L per frame
const SLICE_MS = 8;      // train this long between looks at the message queue
let fcnn = null;
let running = false;
let stopAt = 0;          // the epoch to stop at (autorun), 0: never
let historyFrom = 0;     // the epochs' stats already sent
let framesInFlight = 0;  // sent, not yet drawn: at most 2, so the page never falls behind

// Calls one of binding.cpp's functions; its JSON answer, or an Error with its message.
function call(name, types = [], args = []) {
  const answer = JSON.parse(fcnn.ccall(name, 'string', types, args));
  if (answer.error) throw new Error(answer.error);
  return answer;
}

function sendFrame(record = null, done = false) {
  const state = call('playground_state', ['number'], [historyFrom]);
  historyFrom += state.history.length;
  const pointer = fcnn._playground_grid(GRID);
  const grid = new Float64Array(fcnn.HEAPF64.buffer, pointer, GRID * GRID).slice();
  framesInFlight += 1;
  postMessage({type: 'frame', state, grid, size: GRID, record, done}, [grid.buffer]);
}

function trainSlice() {
  if (!running) return;
  const start = performance.now();
  let epoch = 0;
  do epoch = call('playground_run', ['number', 'number'], [1, stopAt]).epoch;
  while (performance.now() - start < SLICE_MS && !(stopAt && epoch >= stopAt));
  const done = stopAt > 0 && epoch >= stopAt;
  if (done) running = false;
  if (framesInFlight < 2 || done) sendFrame(null, done);
  if (running) setTimeout(trainSlice, 0);
}

const handlers = {
  configure({query}) {
    running = false;
    historyFrom = 0;
    postMessage({type: 'configured', data: call('playground_configure', ['string'], [query])});
    sendFrame();
  },
  train({stopAt: epochs}) {
    stopAt = epochs || 0;
    if (!running) {
      running = true;
      setTimeout(trainSlice, 0);
    }
  },
  pause() {
    running = false;
    sendFrame();
  },
  step() {
    running = false;
    sendFrame(call('playground_step'));
  },
  drawn() {
    framesInFlight = Math.max(0, framesInFlight - 1);
  },
};

onmessage = (event) => {
  try {
    handlers[event.data.type](event.data);
  } catch (error) {
    running = false;
    postMessage({type: 'error', message: error.message});
  }
};

createPlayground().then((module) => {
  fcnn = module;
  postMessage({type: 'ready'});
}, (error) => postMessage({type: 'error', message: 'could not load fcnn-playground.wasm: ' + error}));
