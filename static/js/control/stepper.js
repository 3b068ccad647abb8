// Runs steps on the server and shows their phases: animated in time, one phase per press, or
// at once; play mode's rounds; reset; which batch row is shown.

import { prefersReducedMotion, Ticker } from "../ui/animation.js";
import { playStepMs, STEP_ANIMATION_MS } from "../ui/player.js";
import { t } from "../i18n/i18n.js";
import { isFinished } from "../model/phases.js";
import { finishStep, nextPhase, startStep } from "../model/shown-step.js";

export class Stepper {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {import("../ui/player.js").Player} deps.player
   * @param {import("../ui/controls.js").Controls} deps.controls
   * @param {import("../network/network-view.js").NetworkView} deps.network
   * @param {import("../panels/page-view.js").PageView} deps.view
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => void} deps.refreshPictures asks for the pictures that follow the weights
   * @param {() => void} deps.changed the page's state changed (for window.__lens)
   * @param {() => void} deps.hideBanner
   * @param {<T>(action: () => Promise<T>) => Promise<T>} deps.recovering runs API work on the
   *   page's network, building it anew once if the server no longer has it
   */
  constructor(deps) {
    this.d = deps;
    this.ticker = new Ticker();
    /** @type {import("../model/shown-step.js").ShownStep | null} the step on screen */
    this.shown = null;
  }

  /** Forgets the step on screen (a new or reset network). */
  clear() {
    this.ticker.stop();
    this.shown = null;
  }

  /** Shows at once every phase the step on screen has left (no step is left half-shown). */
  finish() {
    this.ticker.flush();
    if (this.shown && !isFinished(this.shown.machine)) {
      this.shown = finishStep(this.shown);
      this.d.view.paint();
      this.afterUpdate();
    }
  }

  /** Shows one more phase; true while phases remain. @private */
  showNextPhase() {
    this.shown = nextPhase(this.shown);
    this.d.view.paint();
    if (!isFinished(this.shown.machine)) return true;
    this.afterUpdate();
    return false;
  }

  /** @private */
  afterUpdate() {
    this.d.refreshPictures();
    this.d.changed();
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
   * @private
   */
  async run(body, mode, duration = STEP_ANIMATION_MS) {
    this.finish();
    const { session, view } = this.d;
    let before = null;
    // A network the server no longer has is built anew first (see Configure.recovering).
    const trace = await this.d.recovering(() => {
      const net = session.net;
      before = {
        weights: net.weights, biases: net.biases, step: net.step, metrics: session.metrics,
        historyLength: session.history.length,
      };
      return session.step(body);
    });
    this.shown = startStep(trace, before, mode !== "instant");
    let done = Promise.resolve();
    if (mode === "instant") {
      this.shown = finishStep(this.shown);
      view.paint();
      this.afterUpdate();
    } else if (mode === "manual") {
      this.showNextPhase();
    } else {
      done = this.ticker.start(() => this.showNextPhase(), duration / this.shown.machine.phases.length);
      if (prefersReducedMotion()) this.ticker.flush();
    }
    this.d.changed();
    return { done };
  }

  /**
   * One round of play: k steps in one request, shown at once (or animated when slow).
   * @param {number} k
   * @param {boolean} animate
   * @returns {Promise<boolean>} whether to keep playing
   */
  async playRound(k, animate) {
    const { player, controls, serial, session } = this.d;
    let ok = false;
    let done = Promise.resolve();
    await serial(async () => {
      if (!player.playing) return;
      const duration = playStepMs(controls.speed);
      const steps = Math.min(k, session.catalog.limits.max_steps); // the server's bound per request
      ({ done } = await this.run({ steps }, animate ? "animate" : "instant", duration));
      ok = true;
    });
    await done;
    if (!ok && player.playing) this.setPlaying(false);
    return ok && player.playing;
  }

  /** @param {boolean} on */
  setPlaying(on) {
    const { player, controls, network, view, session } = this.d;
    if (on) player.start();
    else player.stop();
    controls.setPlaying(on);
    network.setPlaying(on);
    view.paint();
    view.say(on ? t("narrate.play", { n: controls.speed }) : t("narrate.pause", { step: session.net.step }));
    if (!on) this.d.refreshPictures(); // the neurons' maps, left out while playing
    this.d.changed();
  }

  /** Stops playing (if it was). */
  pause() {
    if (this.d.player.playing) this.setPlaying(false);
  }

  togglePlay() {
    this.setPlaying(!this.d.player.playing);
  }

  step() {
    this.pause();
    this.d.serial(() => this.run({ steps: 1 }, "animate"));
  }

  phase() {
    this.pause();
    this.d.serial(async () => {
      if (this.ticker.running) {
        this.ticker.stop(); // an animated step turns into a manual one, one phase further
        this.showNextPhase();
      } else if (this.shown && !isFinished(this.shown.machine)) {
        this.showNextPhase();
      } else {
        await this.run({ steps: 1 }, "manual");
      }
      this.d.changed();
    });
  }

  /** @param {number} trainIndex a training point to take one single-sample step on */
  sample(trainIndex) {
    this.pause();
    this.d.serial(() => this.run({ sample: trainIndex }, "animate"));
  }

  reset() {
    this.pause();
    this.ticker.stop();
    const { session, view } = this.d;
    this.d.serial(async () => {
      await this.d.recovering(() => session.reset());
      this.shown = null;
      this.d.hideBanner();
      view.say(t("narrate.reset"));
      view.paint();
      this.d.refreshPictures();
      this.d.changed();
    });
  }

  /** @param {number} delta +1 or −1: the next or previous batch row */
  moveRow(delta) {
    const s = this.shown;
    if (!s) return;
    this.setRow((s.row + delta + s.trace.batch.length) % s.trace.batch.length);
  }

  /** @param {number} row the batch row the nodes, the softmax and the inspector show */
  setRow(row) {
    if (!this.shown || row === this.shown.row) return;
    this.shown = { ...this.shown, row };
    this.d.view.paint();
    this.d.changed();
  }
}
