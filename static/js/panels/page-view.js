// Paints the page from the session and the step on screen: the network, its legend, the
// transport status, the caption and narration, the loss numbers, the visible output tab, the
// sample picker, the ringed batch and the softmax panel. Reads state; changes none.

import { prefersReducedMotion } from "../ui/animation.js";
import { caption, phaseLabel } from "../i18n/captions.js";
import { byId } from "../ui/dom.js";
import { fmt } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { hoverCard } from "../inspector/hover-card.js";
import { MAX_DRAWN } from "../network/layout.js";
import { narrate } from "../i18n/narration.js";
import { displayOf } from "../model/shown-step.js";

export class PageView {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {() => import("../model/shown-step.js").ShownStep | null} deps.shown the step on screen
   * @param {() => boolean} deps.playing
   * @param {object} deps.views the page's views (network, legend, controls, metrics, outputs,
   *   samplePick, dataPlot, softmax, tooltip, skipNote, actCurves)
   */
  constructor({ session, shown, playing, views }) {
    this.session = session;
    this.shown = shown;
    this.playing = playing;
    this.v = views;
    this.panelsFrame = 0;
    this.narrated = "";
  }

  /** What the network shows now (a display state of the step on screen). */
  display() {
    return displayOf(this.shown(), this.session.net.weights, !prefersReducedMotion() && !this.playing());
  }

  paint() {
    const { network, legend, controls } = this.v;
    const session = this.session;
    const shown = this.shown();
    const playing = this.playing();
    const d = this.display();
    network.paint(d, { deferArrows: playing });
    legend.render(network.scales);
    this.v.skipNote.render(network.skips, network.scales);
    this.v.actCurves.paint(d, session.config.activations, playing);
    controls.setStepCount(!shown || d.updated ? session.net.step : shown.before.step);
    controls.setPhase(d.phase, phaseLabel(d.phase));
    byId("phase-caption").textContent = playing
      ? t("caption.play", { n: controls.speed })
      : caption(d.phase, { config: session.config, step: session.net.step, trace: shown && shown.trace });
    if (!playing) {
      this.say(narrate(d.phase, { trace: shown && shown.trace, config: session.config, step: session.net.step, metrics: session.metrics }));
    }
    if (this.panelsFrame) cancelAnimationFrame(this.panelsFrame);
    this.panelsFrame = 0;
    // While playing, the side panels wait two frames (after the network, then its arrows), so
    // no single frame redraws everything.
    if (playing) {
      this.panelsFrame = requestAnimationFrame(() => {
        this.panelsFrame = requestAnimationFrame(() => this.paintPanels(d));
      });
    } else {
      this.paintPanels(d);
    }
  }

  /**
   * The loss numbers, the visible tab, the sample picker and the ringed batch.
   * @param {any} [d] the display state (now's when left out)
   */
  paintPanels(d = this.display()) {
    this.panelsFrame = 0;
    const { metrics, outputs, samplePick, dataPlot } = this.v;
    const session = this.session;
    const shown = this.shown();
    const done = !shown || d.updated;
    const m = done ? session.metrics : shown.before.metrics;
    metrics.render({
      batchLoss: shown && d.loss ? shown.trace.loss_before : null,
      lossName: t(`loss.${session.config.loss}`),
      trainLoss: m.train_loss, testLoss: m.test_loss, trainAccuracy: m.train_accuracy, testAccuracy: m.test_accuracy,
    });
    outputs.paint({ display: d, shown, playing: this.playing() });
    samplePick.render(shown ? sampleInfo(shown) : null);
    dataPlot.setBatch(shown ? shown.trace.batch : null, shown ? shown.row : 0);
  }

  /** The softmax panel (drawn while its tab is shown). */
  paintSoftmax() {
    const d = this.display();
    const shown = this.shown();
    const softmax = this.session.config.activations.at(-1) === "softmax";
    this.v.softmax.render(shown && d.forward === shown.trace.layers.length ? softmaxInput(shown, softmax) : null);
  }

  /**
   * Tells the polite live region (screen readers) what just happened, once.
   * @param {string} text
   */
  say(text) {
    if (!text || text === this.narrated) return;
    this.narrated = text;
    byId("narration").textContent = text;
  }

  /** The note under the network naming the layers drawn as blocks. */
  showAggregateNote() {
    const wide = this.session.config.layers.map((n, k) => [n, k]).filter(([n]) => n > MAX_DRAWN);
    const note = byId("aggregate-note");
    note.hidden = wide.length === 0;
    note.textContent = wide.length
      ? t("network.aggregated", { max: MAX_DRAWN, layers: wide.map(([n, k]) => t("network.layer_size", { k, n })).join(", ") })
      : "";
  }

  /**
   * The card of a hovered weight, neuron or block.
   * @param {import("../network/network-view.js").Target} target
   */
  hover(target) {
    const d = this.display();
    const c = this.session.config;
    const shown = this.shown();
    const biases = !shown || d.updated ? this.session.net.biases : shown.before.biases;
    const net = { biases, activations: c.activations, features: this.session.data.features, sizes: c.layers };
    this.v.tooltip.show(hoverCard(target, d, net), target.x, target.y);
  }

  /** Narrates anew after a language change, then repaints. */
  repaint() {
    this.narrated = "";
    this.paint();
  }
}

function softmaxInput(s, softmax) {
  const tr = s.trace;
  return {
    o: tr.output[s.row], probs: tr.probs ? tr.probs[s.row] : null, y: tr.y[s.row], trainIndex: tr.batch[s.row],
    row: s.row, batchSize: tr.batch.length, softmax,
  };
}

function sampleInfo(s) {
  const y = s.trace.y[s.row];
  const label = Array.isArray(y) ? fmt(y[0], 3) : String(y);
  return { row: s.row, n: s.trace.batch.length, trainIndex: s.trace.batch[s.row], label };
}
