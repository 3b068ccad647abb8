// Compare mode: two networks on the same data and seed, built through the existing API and
// trained in lockstep (B takes each step on A's batch indices), side by side; the pair lives
// in the URL hash (#compare=…). Play shows the steps as the page's own network does: each
// step's phases in time at a slow speed (at once with reduced motion), done when faster.

import { fitConfig } from "../model/config.js";
import { Player, playStepMs } from "../ui/player.js";
import { prefersReducedMotion, Ticker } from "../ui/animation.js";
import { Session } from "../api/session.js";
import {
  copyPair, editPair, nextPairPhase, pairPhasesLeft, pairText, parsePair, presetPair, shareFrom, swapPair,
} from "../model/compare.js";
import { displayOf, finishStep, nextPhase, startStep } from "../model/shown-step.js";
import { isFinished } from "../model/phases.js";
import { leaveMode, modeValue, writeMode } from "../ui/mode-hash.js";
import { forgetPair, keepPair, keptPair } from "../ui/reopen.js";
import { ApiError } from "../api/client.js";
import { goneFrom, retryGone } from "./recover.js";
import { t } from "../i18n/i18n.js";

/** @typedef {import("../model/shown-step.js").ShownStep} ShownStep */

/** @returns {import("../model/compare.js").Pair | null} the pair a #compare= hash holds */
export function readPairHash() {
  const text = modeValue("compare");
  return text === null ? null : parsePair(text);
}

export class Compare {
  /**
   * @param {object} deps
   * @param {import("../panels/compare-view.js").CompareView} deps.view
   * @param {() => import("../model/catalog.js").Catalog} deps.catalog the API's catalog
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => number} deps.speed steps per second wanted in play mode
   * @param {(on: boolean) => void} deps.playing play mode started or stopped
   * @param {(active: boolean) => void} deps.toggled compare mode opened or closed
   * @param {() => void} deps.changed the page's state changed
   * @param {() => {config: any, id: string | null}} deps.home the page's own network (its link)
   * @param {(step: number, phase: string) => void} deps.status the top bar's step and phase
   * @param {(text: string) => void} deps.notify says something that is no error (the banner)
   */
  constructor(deps) {
    this.d = deps;
    this.active = false;
    /** @type {import("../model/compare.js").Pair | null} */
    this.pair = null;
    this.sessions = { a: new Session(), b: new Session() };
    /** @type {{a: any, b: any}} the step on screen of each (ShownStep or null) */
    this.shown = { a: null, b: null };
    this.player = new Player((k, animate) => this.playRound(k, animate), deps.speed);
    /** Shows an animated play round's phases in time. */
    this.ticker = new Ticker();
    const v = deps.view;
    v.bindPreset((name) => this.open(presetPair(name, this.d.catalog())));
    v.bindEdit((side, config) => this.open(editPair(this.pair, side, config)));
    v.bindSwap(() => this.swap());
    v.bindCopy((from) => this.open(copyPair(this.pair, from)));
    v.bindClose(() => this.close());
    v.bindInvalid((text) => this.d.notify(text));
  }

  /** @returns {boolean} play mode is on */
  get playing() {
    return this.player.playing;
  }

  /**
   * Shows compare mode with a pair (a preset's, a link's, or an edited one) and builds both
   * networks from step 0; or, after a reload, reopens the two networks the tab was comparing.
   * @param {import("../model/compare.js").Pair} pair
   * @param {{a: string, b: string} | null} [kept] the ids of the pair's networks to reopen
   */
  open(pair, kept = null) {
    this.pause();
    const catalog = this.d.catalog();
    // fitConfig makes any link's configuration consistent (wrong types become defaults).
    const a = fitConfig(pair.a, null, catalog).config;
    const b = fitConfig(shareFrom(pair.b, a), null, catalog).config;
    const previous = this.active ? this.pair : null;
    this.pair = { a, b, preset: pair.preset };
    if (!this.active) {
      this.active = true;
      this.d.toggled(true);
    }
    this.writeHash();
    this.d.view.show(true);
    this.d.view.render(this.pair, catalog);
    return this.d.serial(() => (kept ? this.reopen(kept) : this.build(previous)));
  }

  /**
   * Reopens the two networks a reload found in the tab's storage, as the server keeps them
   * (steps, weights, curves); when the server no longer has both, or they stand at different
   * steps (a reload between A's step and B's), builds the pair anew from step 0 and says so.
   * @param {{a: string, b: string}} kept
   * @private
   */
  async reopen(kept) {
    const fresh = { a: new Session(), b: new Session() };
    for (const side of ["a", "b"]) fresh[side].catalog = this.d.catalog();
    try {
      await fresh.a.open(kept.a);
      await fresh.b.open(kept.b);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    const { a, b } = fresh;
    if (a.net && b.net && a.net.step === b.net.step) {
      this.sessions = fresh;
      this.shown = { a: null, b: null };
      this.keep();
      this.paint();
      return;
    }
    const apart = Boolean(a.net && b.net);
    for (const s of [a, b]) if (s.net) s.forget(s.id);
    await this.build(null);
    this.d.notify(t(apart ? "reopen.pair_apart" : "reopen.pair_gone"));
  }

  /** The tab keeps the pair and its networks' ids, for a reload (ui/reopen.js). @private */
  keep() {
    keepPair(pairText(this.pair), this.sessions.a.id, this.sessions.b.id);
  }

  /**
   * Builds both networks of the pair on screen from step 0 (inside a serial task), and deletes
   * the two before (but one the server no longer has).
   * @param {import("../model/compare.js").Pair | null} previous the pair that stands if refused
   * @param {string | null} [gone] a network of the old pair the server no longer has
   * @private
   */
  async build(previous, gone = null) {
    const old = [this.sessions.a.net, this.sessions.b.net].filter(Boolean).map((n) => n.id);
    const fresh = { a: new Session(), b: new Session() };
    for (const side of ["a", "b"]) fresh[side].catalog = this.d.catalog();
    try {
      await fresh.a.create(this.pair.a);
      await fresh.b.create(this.pair.b);
    } catch (err) {
      if (fresh.a.net) fresh.a.forget(fresh.a.id); // B refused: A alone is no pair
      this.refused(previous);
      throw err;
    }
    for (const id of old) if (id !== gone) this.sessions.a.forget(id);
    this.sessions = fresh;
    this.shown = { a: null, b: null };
    this.keep();
    this.paint();
  }

  /**
   * Runs `action` (API work on the pair, inside a serial task); when the server no longer has
   * either network, builds both anew from the pair's settings (step 0, so they stay in
   * lockstep), runs `action` once more and says so. A refused build leaves the pair on screen.
   * @template T
   * @param {() => Promise<T>} action
   * @returns {Promise<T>}
   * @private
   */
  recovering(action) {
    const { a, b } = this.sessions;
    return retryGone({
      action,
      gone: (err) => goneFrom(err, a) || goneFrom(err, b),
      rebuild: (err) => this.build(this.pair, err.network),
      say: () => this.d.notify(t("gone.pair")),
    });
  }

  /**
   * A pair the server refused (a limit, say): the pair before it stands, with its settings on
   * screen and in the address; with none before, compare mode closes (the banner says why).
   * @param {import("../model/compare.js").Pair | null} previous
   * @private
   */
  refused(previous) {
    if (!previous || !this.ready()) {
      this.close();
      return;
    }
    this.pair = previous;
    this.writeHash();
    this.d.view.render(previous, this.d.catalog());
    this.paint();
  }

  /**
   * Leaves compare mode; the page's own network is as it was.
   * @param {boolean} [keepHash] the address already names something else (a followed link)
   */
  close(keepHash = false) {
    if (!this.active) return;
    this.pause();
    this.active = false;
    if (!keepHash) leaveMode(this.d.home().config, this.d.home().id);
    this.d.view.show(false);
    this.d.toggled(false);
    forgetPair();
    for (const s of [this.sessions.a, this.sessions.b]) if (s.net) s.forget(s.id);
    this.sessions = { a: new Session(), b: new Session() };
    this.shown = { a: null, b: null };
    this.d.changed();
  }

  /** A and B exchange places (networks, histories and settings); nothing is rebuilt. */
  swap() {
    if (!this.pair) return;
    this.d.serial(async () => {
      this.pair = swapPair(this.pair);
      this.sessions = { a: this.sessions.b, b: this.sessions.a };
      this.shown = { a: this.shown.b, b: this.shown.a };
      this.writeHash();
      if (this.ready()) this.keep();
      this.d.view.render(this.pair, this.d.catalog());
      this.paint();
    });
  }

  /** @returns {boolean} both networks exist */
  ready() {
    return Boolean(this.sessions.a.net && this.sessions.b.net);
  }

  /**
   * Steps both: one step, A on its next batch and B on A's batch indices (the lockstep); or, in
   * play, `k` steps each (they share data, seed and batch size, so the server draws the same
   * batches for both: the last one and the step counts are checked equal).
   * @param {number} [k] steps each (play); none: one step, B on A's batch
   * @returns {Promise<{a: ShownStep, b: ShownStep}>} the last step of each, not yet shown
   * @private
   */
  async stepBoth(k = 0) {
    const { a, b } = this.sessions;
    const before = (s) => ({ weights: s.net.weights, biases: s.net.biases, step: s.net.step, metrics: s.metrics, historyLength: s.history.length });
    const was = { a: before(a), b: before(b) };
    const ta = await a.step({ steps: k || 1 });
    const tb = await b.step(k ? { steps: k } : { batch: ta.batch });
    if (ta.step !== tb.step) throw new Error(`lockstep lost: A at step ${ta.step}, B at step ${tb.step}`);
    if (String(ta.batch) !== String(tb.batch)) throw new Error("lockstep lost: A and B drew different batches");
    return { a: startStep(ta, was.a, false), b: startStep(tb, was.b, false) };
  }

  /** One whole training step of both networks. */
  step() {
    this.pause();
    this.d.serial(async () => {
      if (!this.ready()) return;
      const s = await this.recovering(() => this.stepBoth());
      this.shown = { a: finishStep(s.a), b: finishStep(s.b) };
      this.paint();
    });
  }

  /**
   * The next phase of both networks' step (a network with fewer layers waits at its update);
   * a new step when both are done.
   */
  phase() {
    this.pause();
    this.d.serial(async () => {
      if (!this.ready()) return;
      const { a, b } = this.shown;
      if (a && b && !(isFinished(a.machine) && isFinished(b.machine))) {
        this.shown = nextPairPhase({ a, b });
      } else {
        const s = await this.recovering(() => this.stepBoth());
        this.shown = { a: nextPhase(s.a), b: nextPhase(s.b) };
      }
      this.paint();
    });
  }

  /**
   * One round of play: k steps on each (stepBoth), the last shown as the page's own network
   * shows it: its phases in time when `animate` (a slow speed), else done.
   * @param {number} k
   * @param {boolean} animate
   * @returns {Promise<boolean>} whether to keep playing
   * @private
   */
  async playRound(k, animate) {
    let ok = false;
    let done = Promise.resolve();
    await this.d.serial(async () => {
      if (!this.player.playing || !this.ready()) return;
      const s = await this.recovering(() => this.stepBoth(k));
      if (animate) {
        done = this.animate(s);
      } else {
        this.shown = { a: finishStep(s.a), b: finishStep(s.b) };
        this.paint();
      }
      ok = true;
    });
    await done; // the next round waits for the animation, which fits in the round's time
    if (!ok && this.player.playing) this.setPlaying(false);
    return ok && this.player.playing;
  }

  /**
   * Shows both steps' phases in time, in lockstep, within the step's share of the time at the
   * speed chosen (at once with reduced motion).
   * @param {{a: ShownStep, b: ShownStep}} s
   * @returns {Promise<void>} resolves once the last phase is on screen
   * @private
   */
  animate(s) {
    this.shown = s;
    const tick = () => {
      const { a, b } = this.shown;
      if (!a || !b) return false; // the pair was built anew meanwhile
      this.shown = nextPairPhase({ a, b });
      this.paint();
      return pairPhasesLeft(this.shown) > 0;
    };
    const done = this.ticker.start(tick, playStepMs(this.d.speed()) / pairPhasesLeft(s));
    if (prefersReducedMotion()) this.ticker.flush();
    return done;
  }

  /** @param {boolean} on */
  setPlaying(on) {
    if (on) this.player.start();
    else this.player.stop();
    if (!on) this.ticker.flush(); // paused: the step on screen is shown done, as the server has it
    this.d.playing(on);
    this.d.changed();
  }

  togglePlay() {
    this.setPlaying(!this.player.playing);
  }

  pause() {
    if (this.player.playing) this.setPlaying(false);
  }

  /** Both networks back to their initial weights (step 0). */
  reset() {
    this.pause();
    this.d.serial(async () => {
      if (!this.ready()) return;
      await this.recovering(async () => {
        await this.sessions.a.reset();
        await this.sessions.b.reset();
      });
      this.shown = { a: null, b: null };
      this.paint();
    });
  }

  /**
   * A changed hash: a new pair when it names one other than the pair on screen.
   * @param {boolean} [atStart] the page has just loaded: the pair the tab was comparing before
   *   a reload (the same pair text) is reopened, not built anew
   */
  followHash(atStart = false) {
    const pair = readPairHash();
    const kept = atStart ? keptPair() : null;
    const same = kept && pair && kept.text === modeValue("compare"); // the address it wrote
    if (pair && (!this.active || pairText(pair) !== pairText(this.pair))) this.open(pair, same ? kept : null);
    else if (!pair && this.active) this.close(true);
  }

  /** @returns {number} the step both networks are at (A's; B's is kept equal) */
  get stepCount() {
    return this.sessions.a.net ? this.sessions.a.net.step : 0;
  }

  /** @private */
  writeHash() {
    writeMode("compare", pairText(this.pair));
  }

  /** Repaints both sides (after a language change too). */
  paint() {
    if (!this.active) return;
    const playing = this.player.playing;
    this.d.view.paint({ sessions: this.sessions, shown: this.shown, playing, motion: !playing && !prefersReducedMotion() });
    const a = this.shown.a;
    const phase = a ? displayOf(a, this.sessions.a.net.weights, false).phase : "idle";
    this.d.status(this.stepCount, phase);
    this.d.changed();
  }

  relabel() {
    if (!this.active || !this.pair) return;
    this.d.view.render(this.pair, this.d.catalog());
    this.paint();
  }
}
