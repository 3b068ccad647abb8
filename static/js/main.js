// The page's wiring: builds the views from the template, the controllers that act on the
// session (the API), and binds every control to its action. No painting or API logic here.

import { ActivationCurveView } from "./panels/activation-curve-view.js";
import { Banner } from "./ui/banner.js";
import { CompareView } from "./panels/compare-view.js";
import { LessonView } from "./panels/lesson-view.js";
import { Modes } from "./control/modes.js";
import { Configure } from "./control/configure.js";
import { Controls } from "./ui/controls.js";
import { byId } from "./ui/dom.js";
import { DataPlot } from "./panels/data-plot.js";
import { EditorView } from "./panels/editor-view.js";
import { applyStrings, initLang, langFontsReady, onLangChange, t } from "./i18n/i18n.js";
import { exposeLens, trackBusy } from "./ui/lens-probe.js";
import { LangMenu } from "./ui/lang-menu.js";
import { LayerControls } from "./network/layer-controls.js";
import { LinearModelNote } from "./panels/linear-model-note.js";
import { Legend } from "./network/legend.js";
import { MetricsView } from "./panels/metrics-view.js";
import { Notice } from "./ui/notice.js";
import { NetworkView } from "./network/network-view.js";
import { OutputsPanel } from "./panels/outputs-panel.js";
import { OwnDataView } from "./panels/own-data-view.js";
import { PageView } from "./panels/page-view.js";
import { ParamDialog } from "./ui/param-dialog.js";
import { Pictures } from "./control/pictures.js";
import { Player } from "./ui/player.js";
import { SamplePick } from "./panels/sample-pick.js";
import { SkipNote } from "./panels/skip-note.js";
import { Session } from "./api/session.js";
import { SoftmaxView } from "./panels/softmax-view.js";
import { Stepper } from "./control/stepper.js";
import { Tooltip } from "./inspector/tooltip.js";
import { revealOutOfSight } from "./ui/animation.js";

initLang();
await langFontsReady();
const session = new Session();
const controls = new Controls();
const banner = new Banner(byId("banner"), byId("banner-text"), byId("banner-close"));
const player = new Player((k, animate) => stepper.playRound(k, animate), () => controls.speed);
const playing = () => player.playing;
const network = new NetworkView(byId("network"), byId("network-arrows"));
const dataPlot = new DataPlot(byId("data-plot"));
const ownData = new OwnDataView(dataPlot, () => session.config);
const editors = new EditorView(byId("data-editor"), byId("train-editor"), () => session.net && session.net.skip_layers);
const layerControls = new LayerControls(byId("layer-controls"), byId("layer-count"));
const metrics = new MetricsView(byId("metrics"));
const softmax = new SoftmaxView(byId("softmax"));
const legend = new Legend(byId("legend"));
const tooltip = new Tooltip(byId("tooltip"));
const dialog = new ParamDialog(byId("param-dialog"));
const samplePick = new SamplePick(byId("sample-pick"));
const langMenu = new LangMenu(byId("lang"));
const notice = new Notice(byId("config-note"));
const linearNote = new LinearModelNote(byId("linear-model-note"));
const skipNote = new SkipNote(byId("skip-note"));
const actCurves = new ActivationCurveView(byId("layer-controls"), {
  activationCurve: (...args) => trackBusy(session.activationCurve(...args)),
  get catalog() { return session.catalog; },
});
const outputs = new OutputsPanel({
  session, network, serial,
  on: {
    row: (row) => stepper.setRow(row), edit: (l, i, j) => configure.edit("W", l, i, j),
    import: (doc) => configure.importDoc(doc), preset: (name) => configure.preset(name),
    softmax: () => view.paintSoftmax(),
  },
});
const view = new PageView({
  session, playing, shown: () => stepper.shown,
  views: { network, legend, controls, metrics, outputs, samplePick, dataPlot, softmax, tooltip, skipNote, actCurves },
});
const pictures = new Pictures({
  session, playing, dataPlot, network, collapseChanged: () => { view.paintPanels(); modes.check(); },
});
const lensChanged = exposeLens({
  phase: () => (session.net ? view.display().phase : "idle"),
  step: () => (session.net ? session.net.step : 0),
  networkId: () => (session.net ? session.net.id : null),
  lastStep: () => (stepper.shown ? stepper.shown.trace : null),
  row: () => (stepper.shown ? stepper.shown.row : 0),
  playing,
  config: () => session.config,
});
/** The page's state changed: the test probe, and the lesson (is the chapter's task done?). */
const changed = () => { lensChanged(); modes.check(); };
const common = {
  session, view, serial, changed,
  refreshPictures: () => pictures.refresh(), hideBanner: () => banner.hide(), showError,
};
const notify = (text) => banner.notice(text);
const stepper = new Stepper({ ...common, player, controls, network, recovering: (action) => configure.recovering(action) });
const configure = new Configure({
  ...common, stepper, feed: pictures.feed, notify,
  views: { network, outputs, editors, dataPlot, ownData, dialog, notice },
});
// A request about the page's network that finds it gone from the server: a new one is built.
session.onGone = (id) => configure.lost(id);

const modes = new Modes({
  session, view, outputs, controls, stepper, configure, serial, changed: lensChanged, notify,
  compareView: new CompareView(byId("compare"), byId("columns"), byId("btn-compare")),
  lessonView: new LessonView(byId("lesson"), byId("btn-lesson")),
});

let queue = Promise.resolve();

/** Runs API work one piece at a time, in order; a failure is shown in the banner. */
function serial(fn) {
  const p = queue.then(fn);
  queue = p.catch(() => {});
  return trackBusy(p.catch(showError));
}

function showError(err) {
  banner.show(err);
  console.warn(err);
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
  modes.relabel();
  outputs.relabel();
  notice.render();
  if (!session.net) return;
  editors.render(session.config, session.catalog);
  layerControls.render(session.config, network.layout, session.catalog);
  actCurves.refresh();
  view.showAggregateNote();
  linearNote.render(session.config);
  view.repaint();
}

function start() {
  applyStrings(document);
  document.title = t("app.title");
  onLangChange(relabel);
  controls.renderShortcuts(byId("shortcuts"));
  controls.bind("step", modes.act("step")); // the compared pair while comparing
  controls.bind("phase", modes.act("phase"));
  controls.bind("play", modes.act("togglePlay"));
  controls.bind("reset", modes.act("reset"));
  controls.bind("sample", (delta) => stepper.moveRow(delta));
  controls.bind("speed", () => session.net && view.paint());
  controls.bind("inspect", () => {
    outputs.inspect(outputs.pick, { show: true });
    controls.focusInto(byId("inspector").querySelector("select"));
  });
  controls.bind("language", () => langMenu.next());
  samplePick.bindMove((delta) => stepper.moveRow(delta));
  dataPlot.bindPointClick((i) => stepper.sample(i));
  ownData.bindApply((c) => configure.rebuild(c));
  editors.bindRebuild((c, notes) => configure.rebuild(c, null, notes));
  editors.bindPatch((p, c, notes) => configure.patch(p, c, notes));
  editors.bindNotes((notes) => notice.show(notes));
  layerControls.bindChange((c) => configure.rebuild(c));
  network.bindBuilt((layout) => {
    layerControls.render(session.config, layout, session.catalog);
    actCurves.refresh();
    linearNote.render(session.config);
  });
  network.bindHover((target) => view.hover(target));
  network.bindLeave(() => tooltip.hide());
  network.bindEdgeClick((tg) => {
    outputs.inspect({ layer: tg.layer, i: tg.i, j: tg.j }, { show: true });
    revealOutOfSight(byId("tabs"), byId("panel-chain"), document.querySelector(".topbar")); // a phone: it opens far below
  });
  network.bindEdgeEdit((tg) => configure.edit("W", tg.layer, tg.i, tg.j));
  network.bindNodeClick((tg) => configure.edit("b", tg.layer - 1, tg.j, 0));
  network.bindMapsToggle(byId("maps-toggle"));
  actCurves.bindToggle(byId("curves-toggle"));
  modes.bind();
  window.addEventListener("hashchange", () => {
    configure.followHash();
    modes.followHash();
  });
  // The usual activation plots are asked for once the catalog names the activations.
  configure.start(() => actCurves.preload(session.catalog.hidden)).then(() => modes.started());
}

start();
