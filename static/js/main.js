// The controller: wires the views to the session (the API) and runs each step's phases.

import { prefersReducedMotion, Ticker } from "./animation.js";
import { ApiError } from "./api.js";
import { BoundaryFeed } from "./boundary-feed.js";
import { caption, phaseLabel } from "./captions.js";
import { ChartView } from "./chart-view.js";
import { DEFAULT_CONFIG, datasetInfo, normalizeConfig } from "./config.js";
import { Controls } from "./controls.js";
import { DataView } from "./data-view.js";
import { EditorView } from "./editor-view.js";
import { fmt, layerMark } from "./format.js";
import { applyStrings, t } from "./i18n.js";
import { edgeCard, nodeCard } from "./inspect.js";
import { MAX_DRAWN } from "./layout.js";
import { LayerControls } from "./layer-controls.js";
import { Legend } from "./legend.js";
import { MetricsView } from "./metrics-view.js";
import { NetworkView } from "./network-view.js";
import { ParamDialog } from "./param-dialog.js";
import { isFinished } from "./phases.js";
import { Player } from "./player.js";
import { SamplePick } from "./sample-pick.js";
import { Session } from "./session.js";
import { displayOf, finishStep, nextPhase, startStep } from "./shown-step.js";
import { SoftmaxView } from "./softmax-view.js";
import { Tooltip } from "./tooltip.js";
import { readConfig, writeConfig } from "./url-state.js";

const STEP_ANIMATION_MS = 1800; // one animated step, all its phases
const BOUNDARY_RESOLUTION = 48;
const BOUNDARY_RESOLUTION_PLAYING = 32; // a smaller answer keeps play mode's frames short

const $ = (id) => document.getElementById(id);
const el = (id) => /** @type {any} */ ($(id));

const session = new Session();
const controls = new Controls();
const network = new NetworkView(el("network"), el("network-arrows"));
const dataView = new DataView(el("data-plot"));
const editors = new EditorView(el("data-editor"), el("train-editor"));
const layerControls = new LayerControls($("layer-controls"), $("layer-count"));
const metrics = new MetricsView($("metrics"));
const chart = new ChartView(el("loss-chart"));
const softmax = new SoftmaxView($("softmax"));
const legend = new Legend($("legend"));
const tooltip = new Tooltip($("tooltip"));
const dialog = new ParamDialog(el("param-dialog"));
const samplePick = new SamplePick($("sample-pick"));
const ticker = new Ticker();
const player = new Player(playRound, () => controls.speed);
const boundary = new BoundaryFeed(
  session,
  (b) => dataView.setBoundary(b),
  () => (player.playing ? BOUNDARY_RESOLUTION_PLAYING : BOUNDARY_RESOLUTION),
);
const planar = () => session.data.points[0].length <= 2; // the API draws 1-D and 2-D inputs only

/** @type {import("./shown-step.js").ShownStep | null} the step on screen */
let shown = null;
let queue = Promise.resolve();
let panelsFrame = 0;

/** Runs API work one piece at a time, in order; a failure is shown in the banner. */
function serial(fn) {
  const p = queue.then(fn);
  queue = p.catch(() => {});
  return p.catch(showError);
}

// ---------------------------------------------------------------- painting

function display() {
  return displayOf(shown, session.net.weights, !prefersReducedMotion() && !player.playing);
}

function paint() {
  const d = display();
  network.paint(d, { deferArrows: player.playing });
  legend.render(network.scales);
  controls.setStepCount(!shown || d.updated ? session.net.step : shown.before.step);
  controls.setPhase(d.phase, phaseLabel(d.phase));
  $("phase-caption").textContent = player.playing
    ? t("caption.play", { n: controls.speed })
    : caption(d.phase, { config: session.config, step: session.net.step, trace: shown && shown.trace });
  if (panelsFrame) cancelAnimationFrame(panelsFrame);
  panelsFrame = 0;
  // While playing, the side panels wait two frames (after the network, then its arrows), so
  // no single frame redraws everything.
  if (player.playing) {
    panelsFrame = requestAnimationFrame(() => { panelsFrame = requestAnimationFrame(() => paintPanels(d)); });
  } else {
    paintPanels(d);
  }
}

/** The loss numbers and curve, the softmax panel, the sample picker and the ringed batch. */
function paintPanels(d) {
  panelsFrame = 0;
  const done = !shown || d.updated;
  const m = done ? session.metrics : shown.before.metrics;
  metrics.render({
    batchLoss: shown && d.loss ? shown.trace.loss_before : null,
    lossName: t(`loss.${session.config.loss}`),
    trainLoss: m.train_loss, testLoss: m.test_loss, trainAccuracy: m.train_accuracy, testAccuracy: m.test_accuracy,
  });
  chart.render(done ? session.history : session.history.slice(0, shown.before.historyLength));
  softmax.render(shown && d.forward === shown.trace.layers.length ? softmaxInput(shown) : null);
  samplePick.render(shown ? sampleInfo(shown) : null);
  dataView.setBatch(shown ? shown.trace.batch : null, shown ? shown.row : 0);
}

function softmaxInput(s) {
  const tr = s.trace;
  return {
    o: tr.output[s.row], probs: tr.probs ? tr.probs[s.row] : null, y: tr.y[s.row], trainIndex: tr.batch[s.row],
    row: s.row, batchSize: tr.batch.length, softmax: session.config.activations.at(-1) === "softmax",
  };
}

function sampleInfo(s) {
  const y = s.trace.y[s.row];
  const label = Array.isArray(y) ? fmt(y[0]) : String(y);
  return { row: s.row, n: s.trace.batch.length, trainIndex: s.trace.batch[s.row], label };
}

// ---------------------------------------------------------------- stepping

/** Shows at once every phase the step on screen has left (no step is left half-shown). */
function finishShown() {
  ticker.flush();
  if (shown && !isFinished(shown.machine)) {
    shown = finishStep(shown);
    paint();
    afterUpdate();
  }
}

/** Shows one more phase; true while phases remain. */
function showNextPhase() {
  shown = nextPhase(shown);
  paint();
  if (!isFinished(shown.machine)) return true;
  afterUpdate();
  return false;
}

function refreshBoundary() {
  if (planar()) boundary.refresh();
}

function afterUpdate() {
  refreshBoundary();
  expose();
}

/**
 * Runs one step on the server and starts showing it: "animate" plays the phases in time (all
 * at once with reduced motion), "manual" shows the first phase and waits for Phase presses,
 * "instant" shows the finished step.
 * @param {{steps?: number, sample?: number}} body
 * @param {"animate" | "manual" | "instant"} mode
 * @param {number} [duration] milliseconds for all the phases of an animated step
 * @returns {Promise<{done: Promise<void>}>} resolves once the step is on screen; `done` (in a
 *   wrapper, so awaiting the step does not wait for it) resolves at the animation's end
 */
async function runStep(body, mode, duration = STEP_ANIMATION_MS) {
  finishShown();
  const net = session.net;
  const before = {
    weights: net.weights, biases: net.biases, step: net.step, metrics: session.metrics,
    historyLength: session.history.length,
  };
  shown = startStep(await session.step(body), before, mode !== "instant");
  let done = Promise.resolve();
  if (mode === "instant") {
    shown = finishStep(shown);
    paint();
    afterUpdate();
  } else if (mode === "manual") {
    showNextPhase();
  } else {
    done = ticker.start(showNextPhase, duration / shown.machine.phases.length);
    if (prefersReducedMotion()) ticker.flush();
  }
  expose();
  return { done };
}

/** One round of play: k steps in one request, shown at once (or animated when slow). */
async function playRound(k, animate) {
  let ok = false;
  let done = Promise.resolve();
  await serial(async () => {
    if (!player.playing) return;
    const duration = Math.min(STEP_ANIMATION_MS, 900 / controls.speed);
    ({ done } = await runStep({ steps: k }, animate ? "animate" : "instant", duration));
    ok = true;
  });
  await done;
  if (!ok && player.playing) setPlaying(false);
  return ok && player.playing;
}

function setPlaying(on) {
  if (on) player.start();
  else player.stop();
  controls.setPlaying(on);
  paint();
  expose();
}

function onStep() {
  if (player.playing) setPlaying(false);
  serial(() => runStep({ steps: 1 }, "animate"));
}

function onPhase() {
  if (player.playing) setPlaying(false);
  serial(async () => {
    if (ticker.running) {
      ticker.stop(); // an animated step turns into a manual one, one phase further
      showNextPhase();
    } else if (shown && !isFinished(shown.machine)) {
      showNextPhase();
    } else {
      await runStep({ steps: 1 }, "manual");
    }
    expose();
  });
}

function onSample(trainIndex) {
  if (player.playing) setPlaying(false);
  serial(() => runStep({ sample: trainIndex }, "animate"));
}

function onReset() {
  if (player.playing) setPlaying(false);
  ticker.stop();
  serial(async () => {
    await session.reset();
    shown = null;
    hideBanner();
    paint();
    refreshBoundary();
    expose();
  });
}

function onMoveRow(delta) {
  if (!shown) return;
  const n = shown.trace.batch.length;
  shown = { ...shown, row: (shown.row + delta + n) % n };
  paint();
  expose();
}

// ---------------------------------------------------------------- configuration

/**
 * Builds the network for a configuration and draws everything anew.
 * @param {any} config
 */
async function build(config) {
  if (player.playing) setPlaying(false);
  ticker.stop();
  const c = normalizeConfig(config, session.catalog);
  const previous = session.net && session.net.id;
  await session.create(c);
  if (previous) boundary.retire(previous);
  shown = null;
  writeConfig(c);
  hideBanner();
  const regression = datasetInfo(c.dataset.kind, session.catalog).task === "regression";
  network.setStructure(c.layers, session.data.features, regression ? 0 : c.layers.at(-1));
  editors.render(c, session.catalog);
  dataView.setData(session.data);
  const wide = c.layers.map((n, k) => [n, k]).filter(([n]) => n > MAX_DRAWN);
  const note = $("aggregate-note");
  note.hidden = wide.length === 0;
  note.textContent = wide.length
    ? t("network.aggregated", { max: MAX_DRAWN, layers: wide.map(([n, k]) => t("network.layer_size", { k, n })).join(", ") })
    : "";
  paint();
  refreshBoundary();
  expose();
}

function onRebuild(config) {
  serial(() => build(config).catch((err) => {
    editors.render(session.config, session.catalog); // refused (a limit, say): the old one stands
    throw err;
  }));
}

function onPatch(patch, config) {
  serial(async () => {
    await session.patch(patch);
    session.config = config;
    writeConfig(config);
    editors.render(config, session.catalog);
    hideBanner();
    paint();
    expose();
  });
}

/**
 * Asks for a new value of W(layer)[i, j] (kind "W") or b(layer)[i] (kind "b") and sets it.
 */
function onEdit(kind, layer, i, j) {
  finishShown();
  const value = kind === "W" ? session.net.weights[layer][i][j] : session.net.biases[layer][i];
  const sup = layerMark(layer + 1);
  const title = kind === "W" ? t("param.weight", { layer: sup, i: i + 1, j: j + 1 }) : t("param.bias", { layer: sup, j: i + 1 });
  dialog.open(title, t("param.meta", { value: fmt(value, 6) }), value).then((v) => {
    if (v === null) return;
    const set = kind === "W" ? { layer, kind, i, j, value: v } : { layer, kind, i, value: v };
    serial(async () => {
      await session.patch({ set });
      paint();
      refreshBoundary();
      expose();
    });
  });
}

// ---------------------------------------------------------------- messages, hover, tests

function showError(err) {
  const key = !(err instanceof ApiError) ? "error.page" : err.diverged ? "error.diverged" : "error.request";
  $("banner-text").textContent = t(key, { message: err.message });
  $("banner").hidden = false;
  console.warn(err);
}

function hideBanner() {
  $("banner").hidden = true;
}

function onHover(target) {
  const d = display();
  let card;
  if (target.kind === "edge") {
    card = edgeCard(d, target.layer, target.i, target.j);
  } else if (target.kind === "node") {
    const biases = !shown || d.updated ? session.net.biases : shown.before.biases;
    const c = session.config;
    card = nodeCard(d, { biases, activations: c.activations, features: session.data.features }, target.layer, target.j);
  } else {
    card = { title: t("tip.block", { n: session.config.layers[target.layer] }), rows: [], note: t("tip.aggregated") };
  }
  tooltip.show(card, target.x, target.y);
}

/** Read-only state for tests and the curious: window.__lens. */
const lens = Object.freeze({
  get phase() { return session.net ? display().phase : "idle"; },
  get step() { return session.net ? session.net.step : 0; },
  get networkId() { return session.net ? session.net.id : null; },
  get lastStep() { return shown ? shown.trace : null; },
  get row() { return shown ? shown.row : 0; },
  get playing() { return player.playing; },
  get config() { return structuredClone(session.config); },
});
Object.defineProperty(window, "__lens", { value: lens });

function expose() {
  document.body.dataset.ready = "true";
  document.body.dataset.playing = String(player.playing);
}

// ---------------------------------------------------------------- start

async function start() {
  applyStrings(document);
  document.title = t("app.title");
  controls.renderShortcuts($("shortcuts"));
  controls.bind("step", onStep);
  controls.bind("phase", onPhase);
  controls.bind("play", () => setPlaying(!player.playing));
  controls.bind("reset", onReset);
  controls.bind("sample", onMoveRow);
  controls.bind("speed", () => session.net && paint());
  samplePick.bindMove(onMoveRow);
  dataView.bindPointClick(onSample);
  editors.bindRebuild(onRebuild);
  editors.bindPatch(onPatch);
  layerControls.bindChange(onRebuild);
  network.bindBuilt((layout) => {
    const regression = datasetInfo(session.config.dataset.kind, session.catalog).task === "regression";
    layerControls.render(session.config, layout, regression);
  });
  network.bindHover(onHover);
  network.bindLeave(() => tooltip.hide());
  network.bindEdgeClick((tg) => onEdit("W", tg.layer, tg.i, tg.j));
  network.bindNodeClick((tg) => onEdit("b", tg.layer - 1, tg.j, 0));
  $("banner-close").addEventListener("click", hideBanner);
  window.addEventListener("hashchange", () => {
    const c = readConfig();
    if (c && JSON.stringify(c) !== JSON.stringify(session.config)) onRebuild(c);
  });
  await serial(async () => {
    await session.loadCatalog();
    const fromLink = readConfig();
    try {
      await build(fromLink || structuredClone(DEFAULT_CONFIG));
    } catch (err) {
      if (!fromLink) throw err;
      await build(structuredClone(DEFAULT_CONFIG)); // a bad link: start from the default
      showError(err); // and say why
    }
  });
}

start();
