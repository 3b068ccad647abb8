// The outputs column's controller: its tabs (curves, chain rule, softmax, tools), the chain-rule
// inspector and its `explain` requests, the linear-collapse card, the gradient check and
// sharing. Each panel is drawn only while it can be seen.

import { ApiError } from "../api/client.js";
import { CollapseView } from "./collapse-view.js";
import { taskOf } from "../model/config.js";
import { CurvesView } from "./curves-view.js";
import { GradcheckView } from "./gradcheck-view.js";
import { t } from "../i18n/i18n.js";
import { ChainRuleView } from "../inspector/chain-rule-view.js";
import { derivationForm } from "../inspector/derivation-view.js";
import { pathsForm } from "../inspector/paths-view.js";
import { backwardRank } from "../model/phases.js";
import { phaseLabel } from "../i18n/captions.js";
import { ShareView } from "./share-view.js";
import { byId } from "../ui/dom.js";
import { Tabs } from "../ui/tabs.js";

// While playing, one of the three charts is redrawn at most this often, in idle time (all of
// them in every frame would cost the network drawing its frame budget); each still moves
// about twice a second.
const CURVES_INTERVAL_PLAYING_MS = 150;
const IDLE_NEEDED_MS = 4; // a chart takes about 1 ms to draw; wait for a roomier idle period

/**
 * @typedef {object} PaintContext
 * @property {import("../model/shown-step.js").Display} display what the network shows
 * @property {import("../model/shown-step.js").ShownStep | null} shown
 * @property {boolean} playing
 */

export class OutputsPanel {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {import("../network/network-view.js").NetworkView} deps.network
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {{row: (row: number) => void, edit: (l: number, i: number, j: number) => void,
   *          import: (doc: any) => void, preset: (name: string) => void,
   *          softmax: () => void}} deps.on
   */
  constructor({ session, network, serial, on }) {
    this.session = session;
    this.network = network;
    this.serial = serial;
    this.on = on;
    this.tabs = new Tabs(byId("tabs"));
    this.inspector = new ChainRuleView(byId("inspector"));
    // The gradient's other forms below the inspector, each asked for only while open.
    // A refusal (too many terms, a network the note's form does not fit) is said in the form.
    const load = (form) => (ctx, options) => {
      let answer = null;
      let failure = null;
      return serial(async () => {
        try {
          answer = await session.explain({ ...ctx.pick, of: ctx.of, form, ...options });
        } catch (err) {
          failure = err;
        }
      }).then(() => {
        if (failure) throw failure;
        return answer;
      });
    };
    this.forms = [pathsForm(byId("paths"), load("paths")), derivationForm(byId("derivation"), load("note"))];
    this.curves = new CurvesView({
      loss: byId("loss-chart"), accuracy: byId("accuracy-chart"), norms: byId("norms-chart"), accuracyBlock: byId("accuracy-block"),
    });
    this.collapse = new CollapseView(byId("collapse"));
    this.gradcheck = new GradcheckView(byId("gradcheck-run"), byId("gradcheck-result"));
    this.share = new ShareView({
      link: byId("share-link"), copy: byId("share-copy"), status: byId("share-status"),
      exportButton: byId("export"), importButton: byId("import"), file: byId("import-file"),
      trained: byId("trained-link"), trainedCopy: byId("trained-copy"),
    });
    /** @type {{layer: number, i: number, j: number}} the weight the inspector explains */
    this.pick = { layer: 0, i: 0, j: 0 };
    this.explanation = null;
    this.explainedFor = "";
    this.explainError = "";
    this.queued = false;
    this.marked = "";
    /** @type {PaintContext | null} */
    this.ctx = null;
    this.curvesAt = -Infinity;
    this.curvesIdle = 0;

    this.tabs.bindChange(() => this.ctx && this.paint(this.ctx));
    this.inspector.bindPick((p) => this.inspect(p));
    this.inspector.bindEdit((p) => on.edit(p.layer, p.i, p.j));
    this.inspector.bindRow((row) => on.row(row));
    this.inspector.bindHighlight((spec) => network.highlight(spec));
    for (const form of this.forms) form.bindHighlight((spec) => network.highlight(spec));
    this.gradcheck.bindRun(() => this.runGradcheck());
    this.share.bindExport(() => this.exportFile());
    this.share.bindImport((doc) => on.import(doc));
    for (const b of document.querySelectorAll("[data-preset]")) {
      b.addEventListener("click", () => on.preset(/** @type {HTMLElement} */ (b).dataset.preset));
    }
  }

  /** The tab shown: "curves", "chain", "softmax" or "tools". */
  get tab() {
    return this.tabs.current;
  }

  /**
   * A new network is on screen: the inspector starts at its first weight, old checks go.
   */
  networkChanged() {
    this.pick = { layer: 0, i: 0, j: 0 };
    this.explanation = null;
    this.explainedFor = "";
    this.marked = "";
    this.gradcheck.render(null);
  }

  /**
   * Shows a weight in the inspector (and marks it in the network).
   * @param {{layer: number, i: number, j: number}} pick
   * @param {{show?: boolean}} [options] show: switch to the inspector's tab
   */
  inspect(pick, { show = false } = {}) {
    this.pick = pick;
    if (show) this.tabs.select("chain");
    if (this.ctx) this.paint(this.ctx);
  }

  /**
   * Draws the visible panels for what the network shows; asks for what they lack.
   * @param {PaintContext} ctx
   */
  paint(ctx) {
    this.ctx = ctx;
    const s = this.session;
    if (!s.net) return;
    this.collapse.render(s.collapse.value, s.config.layers.length - 1, s.collapse.step);
    const tab = this.tab;
    // The weight being explained is marked in the network while its explanation is shown.
    const p = this.pick;
    const marked = tab === "chain" ? `${p.layer}-${p.i}-${p.j}` : "";
    if (marked !== this.marked) {
      this.marked = marked;
      this.network.setInspected(marked ? p : null);
    }
    if (tab === "curves") {
      if (!ctx.playing) this.paintCurves(ctx);
      else if (!this.curvesIdle && performance.now() - this.curvesAt >= CURVES_INTERVAL_PLAYING_MS) {
        // In play, one chart at a time, when the frame has time to spare.
        const idle = (deadline) => {
          if (deadline.timeRemaining() < IDLE_NEEDED_MS && !deadline.didTimeout) {
            this.curvesIdle = requestIdleCallback(idle, { timeout: 400 });
            return;
          }
          this.curvesIdle = 0;
          if (this.tab === "curves" && this.ctx) this.paintCurves(this.ctx);
        };
        this.curvesIdle = requestIdleCallback(idle, { timeout: 400 });
      }
    } else if (tab === "chain") {
      this.paintInspector(ctx);
      this.wantExplanation();
    } else if (tab === "softmax") {
      this.on.softmax();
    } else if (tab === "tools") {
      this.share.showLink(this.session.id);
    }
  }

  /** @private */
  paintCurves(ctx) {
    const s = this.session;
    this.curvesAt = performance.now();
    const done = !ctx.shown || ctx.display.updated;
    const history = done ? s.history : s.history.slice(0, ctx.shown.before.historyLength);
    const classification = taskOf(s.config, s.catalog) === "classification";
    this.curves.render(history, classification, ctx.playing);
  }

  /** Relabels every panel in the current language. */
  relabel() {
    this.inspector.relabel();
    for (const form of this.forms) form.relabel();
    this.collapse.relabel();
    this.gradcheck.relabel();
    this.share.say("");
    if (this.ctx) this.paint(this.ctx);
  }

  /** @private What `explain` is asked about now: the step on screen, or the next one. */
  explainKey() {
    const s = this.session;
    const of = this.ctx && this.ctx.shown ? "last" : "next";
    const p = this.pick;
    return { key: `${s.net.id}|${s.version}|${p.layer},${p.i},${p.j}|${of}`, of };
  }

  /** @private Asks for an explanation unless the one at hand fits (not while playing). */
  wantExplanation() {
    if (this.queued || !this.ctx || this.ctx.playing) return;
    if (this.explainKey().key === this.explainedFor) return;
    this.queued = true;
    this.serial(async () => {
      this.queued = false;
      if (this.tab !== "chain" || !this.ctx || this.ctx.playing) return;
      const { key, of } = this.explainKey();
      if (key === this.explainedFor) return;
      try {
        this.explanation = await this.session.explain({ ...this.pick, of });
        this.explainError = "";
      } catch (err) {
        this.explanation = null;
        this.explainError = err instanceof Error ? err.message : String(err);
      }
      this.explainedFor = key;
      this.paintInspector(this.ctx);
    });
  }

  /** @private */
  paintInspector(ctx) {
    const s = this.session;
    const d = ctx.display;
    const p = this.pick;
    const L = s.config.layers.length - 1;
    const trace = ctx.shown ? ctx.shown.trace : null;
    const current = this.explainKey().key === this.explainedFor;
    const ex = this.explanation && this.explanation.layer === p.layer && this.explanation.i === p.i && this.explanation.j === p.j
      ? this.explanation : null;
    let status = current ? (this.explainError ? "error" : "ready") : "loading";
    let message = this.explainError;
    if (ctx.playing) {
      status = "playing";
      message = t("insp.playing");
    } else if (trace && !d.updated && d.backward <= backwardRank(L, p.layer)) {
      status = "pending";
      message = t("insp.pending", { phase: phaseLabel(`backward-${p.layer}`) });
    }
    const softmaxOut = s.config.activations[L - 1] === "softmax" && s.config.loss === "cross_entropy";
    const row = ctx.shown ? ctx.shown.row : 0;
    this.inspector.render({
      pick: p, sizes: s.config.layers, features: s.data.features, activations: s.config.activations,
      status, explanation: ex, row, message,
      w: d.weights[p.layer][p.i][p.j],
      stepDW: trace ? trace.layers[p.layer].dW[p.i][p.j] : null,
      softmaxRow: trace && softmaxOut && p.layer === L - 1
        ? { p: trace.probs[row][p.j], y: trace.y[row] === p.j ? 1 : 0, n: trace.batch.length }
        : null,
    });
    const { key, of } = this.explainKey();
    const stepDW = trace ? trace.layers[p.layer].dW[p.i][p.j] : null;
    for (const form of this.forms) form.paint({ pick: p, key, of, status, message, sizes: s.config.layers, row, stepDW });
  }

  /** @private */
  runGradcheck() {
    this.serial(async () => {
      this.gradcheck.busy();
      try {
        this.gradcheck.render({ result: await this.session.gradcheck() });
      } catch (err) {
        // Too many parameters to perturb (a 409 naming the limit) is an answer, not a failure.
        if (err instanceof ApiError && err.status === 409 && !err.diverged) this.gradcheck.render({ error: err.message });
        else {
          this.gradcheck.render(null);
          throw err;
        }
      }
    });
  }

  /** @private */
  exportFile() {
    this.serial(async () => {
      const doc = await this.session.exportDoc();
      this.share.download(doc, `backprop-lens-step-${doc.step}.json`);
    });
  }
}
