// The controller: wires the views to the session (the API) and runs each step's phases.

import { prefersReducedMotion, Ticker } from "./ui/animation.js";
import { Banner } from "./ui/banner.js";
import { caption, phaseLabel } from "./i18n/captions.js";
import { DEFAULT_CONFIG, datasetInfo, normalizeConfig } from "./model/config.js";
import { Controls } from "./ui/controls.js";
import { byId } from "./ui/dom.js";
import { DataPlot } from "./panels/data-plot.js";
import { EditorView } from "./panels/editor-view.js";
import { fmt, layerMark } from "./draw/format.js";
import { applyStrings, initLang, onLangChange, t } from "./i18n/i18n.js";
import { hoverCard } from "./inspector/hover-card.js";
import { OutputsPanel } from "./panels/outputs-panel.js";
import { LangMenu } from "./ui/lang-menu.js";
import { MAX_DRAWN } from "./network/layout.js";
import { LayerControls } from "./network/layer-controls.js";
import { Legend } from "./network/legend.js";
import { MetricsView } from "./panels/metrics-view.js";
import { narrate } from "./i18n/narration.js";
import { NetworkView } from "./network/network-view.js";
import { ParamDialog } from "./ui/param-dialog.js";
import { isFinished } from "./model/phases.js";
import { Player } from "./ui/player.js";
import { presetConfig } from "./model/presets.js";
import { RefreshFeed } from "./api/refresh-feed.js";
import { SamplePick } from "./panels/sample-pick.js";
import { Session } from "./api/session.js";
import { displayOf, finishStep, nextPhase, startStep } from "./model/shown-step.js";
import { SoftmaxView } from "./panels/softmax-view.js";
import { Tooltip } from "./inspector/tooltip.js";
import { ApiError } from "./api/client.js";
import { readConfig } from "./ui/url-state.js";
import { OwnDataView } from "./panels/own-data-view.js";
import { hashFor, readCopyId, remember, remembered, startPlan } from "./model/reopen.js";

const STEP_ANIMATION_MS = 1800; // one animated step, all its phases
const BOUNDARY_RESOLUTION = 48;
const BOUNDARY_RESOLUTION_PLAYING = 32; // a smaller answer keeps play mode's frames short


initLang();
const session = new Session();
const controls = new Controls();
const network = new NetworkView(byId("network"), byId("network-arrows"));
const dataPlot = new DataPlot(byId("data-plot"));
const ownData = new OwnDataView(dataPlot, () => session.config);
const editors = new EditorView(byId("data-editor"), byId("train-editor"));
const layerControls = new LayerControls(byId("layer-controls"), byId("layer-count"));
const metrics = new MetricsView(byId("metrics"));
const softmax = new SoftmaxView(byId("softmax"));
const legend = new Legend(byId("legend"));
const tooltip = new Tooltip(byId("tooltip"));
const dialog = new ParamDialog(byId("param-dialog"));
const samplePick = new SamplePick(byId("sample-pick"));
const banner = new Banner(byId("banner"), byId("banner-text"), byId("banner-close"));
const langMenu = new LangMenu(byId("lang"));
const ticker = new Ticker();
const player = new Player(playRound, () => controls.speed);
const feed = new RefreshFeed(session);
const outputs = new OutputsPanel({
  session, network, serial,
  on: { row: onSetRow, edit: (l, i, j) => onEdit("W", l, i, j), import: onImport, preset: onPreset, softmax: paintSoftmax },
});
const planar = () => session.data.points[0].length <= 2; // the API draws 1-D and 2-D inputs only
const regression = () => datasetInfo(session.config.dataset.kind, session.catalog).task === "regression";

feed.add("boundary", {
  // While playing only the output is drawn; the neurons' maps wait for a pause.
  fetch: async () => {
    const neurons = !player.playing;
    const res = player.playing ? BOUNDARY_RESOLUTION_PLAYING : BOUNDARY_RESOLUTION;
    const step = session.net.step;
    return { b: await session.boundary(res, neurons), neurons, step };
  },
  show: ({ b, neurons, step }) => {
    dataPlot.setBoundary(b);
    byId("data-plot").dataset.boundaryStep = String(step);
    if (!neurons) return;
    network.setNeuronMaps(b);
    byId("network").dataset.mapsStep = String(step); // which weights the maps are of (for tests)
  },
  interval: () => 250,
});
feed.add("collapse", {
  fetch: () => session.refreshCollapse(),
  show: () => paintPanels(display()),
  interval: () => (player.playing ? 1000 : 250),
});

/** @type {import("./model/shown-step.js").ShownStep | null} the step on screen */
let shown = null;
let queue = Promise.resolve();
let panelsFrame = 0;
let narrated = "";

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
  byId("phase-caption").textContent = player.playing
    ? t("caption.play", { n: controls.speed })
    : caption(d.phase, { config: session.config, step: session.net.step, trace: shown && shown.trace });
  if (!player.playing) say(narrate(d.phase, { trace: shown && shown.trace, config: session.config, step: session.net.step, metrics: session.metrics }));
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

/** The loss numbers, the visible tab, the sample picker and the ringed batch. */
function paintPanels(d) {
  panelsFrame = 0;
  const done = !shown || d.updated;
  const m = done ? session.metrics : shown.before.metrics;
  metrics.render({
    batchLoss: shown && d.loss ? shown.trace.loss_before : null,
    lossName: t(`loss.${session.config.loss}`),
    trainLoss: m.train_loss, testLoss: m.test_loss, trainAccuracy: m.train_accuracy, testAccuracy: m.test_accuracy,
  });
  outputs.paint({ display: d, shown, playing: player.playing });
  samplePick.render(shown ? sampleInfo(shown) : null);
  dataPlot.setBatch(shown ? shown.trace.batch : null, shown ? shown.row : 0);
}

/** The softmax panel (drawn while its tab is shown). */
function paintSoftmax() {
  const d = display();
  softmax.render(shown && d.forward === shown.trace.layers.length ? softmaxInput(shown) : null);
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
  const label = Array.isArray(y) ? fmt(y[0], 3) : String(y);
  return { row: s.row, n: s.trace.batch.length, trainIndex: s.trace.batch[s.row], label };
}

/**
 * Tells the polite live region (screen readers) what just happened, once.
 * @param {string} text
 */
function say(text) {
  if (!text || text === narrated) return;
  narrated = text;
  byId("narration").textContent = text;
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

/** Asks for the pictures that follow the weights: the boundary and the linear collapse. */
function refreshPictures() {
  if (planar()) feed.refresh("boundary");
  if (session.collapse.value) feed.refresh("collapse");
}

function afterUpdate() {
  refreshPictures();
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
  network.setPlaying(on);
  paint();
  say(on ? t("narrate.play", { n: controls.speed }) : t("narrate.pause", { step: session.net.step }));
  if (!on) refreshPictures(); // the neurons' maps, left out while playing
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
    say(t("narrate.reset"));
    paint();
    refreshPictures();
    expose();
  });
}

function onMoveRow(delta) {
  if (!shown) return;
  onSetRow((shown.row + delta + shown.trace.batch.length) % shown.trace.batch.length);
}

/** @param {number} row the batch row the nodes, the softmax and the inspector show */
function onSetRow(row) {
  if (!shown || row === shown.row) return;
  shown = { ...shown, row };
  paint();
  expose();
}

// ---------------------------------------------------------------- configuration

/**
 * Builds the network for a configuration and draws everything anew.
 * @param {any} config
 */
async function build(config) {
  const c = normalizeConfig(config, session.catalog);
  await replaceNetwork(() => session.create(c));
}

/** The address and the tab's storage follow the network on screen (see model/reopen.js). */
function keepState() {
  const hash = hashFor(session.config, session.id);
  if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  remember(session.id, session.config);
}

/**
 * Opens the network the tab was working on, a copy of a linked one, or builds one from the
 * link's configuration (or the default); a network the server no longer has is said so.
 */
async function openAtStart() {
  const fromLink = readConfig();
  const plan = startPlan(fromLink, readCopyId(), remembered());
  // A reopened network keeps the page's own configuration; a copy takes the server's.
  const opened = async (id, copy, config = null) => {
    try {
      await replaceNetwork(async () => {
        await session.open(id, copy);
        session.config = normalizeConfig(config || session.config, session.catalog);
      });
      return true;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      return false;
    }
  };
  if (plan.kind === "reopen") {
    if (await opened(plan.id, false, plan.config)) return;
    await build(plan.config); // expired or deleted: the same configuration, from step 0
    banner.notice(t("reopen.gone"));
  } else if (plan.kind === "copy") {
    if (await opened(plan.id, true)) return;
    await build(structuredClone(DEFAULT_CONFIG));
    banner.notice(t("reopen.link_gone"));
  } else {
    try {
      await build(plan.config || structuredClone(DEFAULT_CONFIG));
    } catch (err) {
      if (!plan.config) throw err;
      await build(structuredClone(DEFAULT_CONFIG)); // a bad link: start from the default
      showError(err); // and say why
    }
  }
}

/**
 * Puts a new network on screen: `make` creates it on the server (and sets session.config).
 * @param {() => Promise<void>} make
 */
async function replaceNetwork(make) {
  if (player.playing) setPlaying(false);
  ticker.stop();
  const previous = session.net && session.net.id;
  await make();
  if (previous) feed.retire(previous);
  shown = null;
  const c = session.config;
  keepState();
  hideBanner();
  network.setStructure(c.layers, session.data.features, regression() ? 0 : c.layers.at(-1));
  outputs.networkChanged();
  editors.render(c, session.catalog);
  dataPlot.setData(session.data);
  ownData.networkChanged();
  showAggregateNote();
  paint();
  refreshPictures();
  expose();
}

function showAggregateNote() {
  const wide = session.config.layers.map((n, k) => [n, k]).filter(([n]) => n > MAX_DRAWN);
  const note = byId("aggregate-note");
  note.hidden = wide.length === 0;
  note.textContent = wide.length
    ? t("network.aggregated", { max: MAX_DRAWN, layers: wide.map(([n, k]) => t("network.layer_size", { k, n })).join(", ") })
    : "";
}

function onRebuild(config) {
  serial(() => build(config).catch((err) => {
    editors.render(session.config, session.catalog); // refused (a limit, say): the old one stands
    throw err;
  }));
}

function onPreset(name) {
  onRebuild(presetConfig(/** @type {any} */ (name), session.config));
}

/** @param {any} doc an exported network (weights, optimizer state, history) */
function onImport(doc) {
  serial(() => replaceNetwork(async () => {
    await session.importDoc(doc);
    session.config = normalizeConfig(session.config, session.catalog);
  }));
}

function onPatch(patch, config) {
  serial(async () => {
    await session.patch(patch);
    session.config = config;
    keepState();
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
      refreshPictures();
      expose();
    });
  });
}

// ---------------------------------------------------------------- messages, hover, language

function showError(err) {
  banner.show(err);
  console.warn(err);
}

function hideBanner() {
  banner.hide();
}

function onHover(target) {
  const d = display();
  const c = session.config;
  const biases = !shown || d.updated ? session.net.biases : shown.before.biases;
  const net = { biases, activations: c.activations, features: session.data.features, sizes: c.layers };
  tooltip.show(hoverCard(target, d, net), target.x, target.y);
}

/** Everything written by code (not by data-i18n attributes) again, in the new language. */
function relabel() {
  ownData.relabel();
  document.title = t("app.title");
  langMenu.render();
  controls.relabel();
  legend.relabel();
  metrics.relabel();
  samplePick.relabel();
  outputs.relabel();
  if (!session.net) return;
  editors.render(session.config, session.catalog);
  layerControls.render(session.config, network.layout, regression());
  showAggregateNote();
  narrated = "";
  paint();
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
  onLangChange(relabel);
  controls.renderShortcuts(byId("shortcuts"));
  controls.bind("step", onStep);
  controls.bind("phase", onPhase);
  controls.bind("play", () => setPlaying(!player.playing));
  controls.bind("reset", onReset);
  controls.bind("sample", onMoveRow);
  controls.bind("speed", () => session.net && paint());
  controls.bind("inspect", () => {
    outputs.inspect(outputs.pick, { show: true });
    byId("inspector").querySelector("select").focus();
  });
  controls.bind("language", () => langMenu.next());
  samplePick.bindMove(onMoveRow);
  dataPlot.bindPointClick(onSample);
  ownData.bindApply(onRebuild);
  editors.bindRebuild(onRebuild);
  editors.bindPatch(onPatch);
  layerControls.bindChange(onRebuild);
  network.bindBuilt((layout) => layerControls.render(session.config, layout, regression()));
  network.bindHover(onHover);
  network.bindLeave(() => tooltip.hide());
  network.bindEdgeClick((tg) => outputs.inspect({ layer: tg.layer, i: tg.i, j: tg.j }, { show: true }));
  network.bindEdgeEdit((tg) => onEdit("W", tg.layer, tg.i, tg.j));
  network.bindNodeClick((tg) => onEdit("b", tg.layer - 1, tg.j, 0));
  const mapsToggle = byId("maps-toggle");
  mapsToggle.addEventListener("click", () => {
    const on = mapsToggle.getAttribute("aria-pressed") !== "true";
    mapsToggle.setAttribute("aria-pressed", String(on));
    network.setShowMaps(on);
  });
  window.addEventListener("hashchange", () => {
    const c = readConfig();
    const copyId = readCopyId();
    if (c && JSON.stringify(c) !== JSON.stringify(session.config)) onRebuild(c);
    else if (copyId && copyId !== session.id) serial(openAtStart);
  });
  await serial(async () => {
    await session.loadCatalog();
    await openAtStart();
  });
}

start();
