// The page's two modes beside its own network: the guided lesson and compare mode. Builds their
// controllers, opens one at a time (from the top bar or a #lesson= / #compare= link), and lets
// the lesson look again whenever the page may have changed.

import { Compare } from "./compare.js";
import { Lesson } from "./lesson.js";
import { modeInHash } from "../ui/mode-hash.js";
import { phaseLabel } from "../i18n/captions.js";
import { presetPair } from "../model/compare.js";

export class Modes {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session the page's own network
   * @param {import("../panels/page-view.js").PageView} deps.view
   * @param {import("../panels/outputs-panel.js").OutputsPanel} deps.outputs
   * @param {import("../ui/controls.js").Controls} deps.controls
   * @param {import("./stepper.js").Stepper} deps.stepper
   * @param {import("./configure.js").Configure} deps.configure
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => void} deps.changed the page's state changed (for window.__lens)
   * @param {(text: string) => void} deps.notify says something that is no error (the banner)
   * @param {import("../panels/compare-view.js").CompareView} deps.compareView
   * @param {import("../panels/lesson-view.js").LessonView} deps.lessonView
   */
  constructor(deps) {
    const { session, view, outputs, controls, serial } = deps;
    this.d = deps;
    const home = () => ({ config: session.config, id: session.net ? session.net.id : null, step: session.net ? session.net.step : 0 });
    this.compare = new Compare({
      view: deps.compareView, catalog: () => session.catalog, serial, speed: () => controls.speed,
      changed: deps.changed, home, notify: deps.notify,
      playing: (on) => controls.setPlaying(on),
      status: (n, key) => { controls.setStepCount(n); controls.setPhase(key, phaseLabel(key)); },
      toggled: (on) => { if (!on && session.net) view.paint(); },
    });
    const { configure } = deps;
    this.lesson = new Lesson({
      view: deps.lessonView, catalog: () => session.catalog, serial, home, toggled: () => {},
      rebuild: (c, spare) => configure.rebuild(c, spare), reopen: (id, c, gone) => configure.reopen(id, c, gone),
      forget: (id) => session.forget(id),
      state: () => session.net && {
        config: session.config, step: session.net.step, phase: view.display().phase, tab: outputs.tab,
        pick: outputs.pick, collapse: session.collapse.value !== null,
      },
    });
    /** The mode a link names at load, opened once the page's network stands. */
    this.atStart = modeInHash();
  }

  /** Binds the top bar's buttons, the address and the page's events. */
  bind() {
    const { compare, lesson } = this;
    this.d.compareView.bindOpen(() => {
      if (compare.active) return compare.close();
      lesson.close();
      this.d.stepper.pause();
      compare.open(compare.pair || presetPair("deep-wide", this.d.session.catalog));
    });
    this.d.lessonView.bindOpen(() => {
      if (lesson.active) return lesson.close();
      compare.close();
      lesson.open();
    });
    // A tab shown or a weight picked: the lesson looks again once the page has acted on it.
    for (const type of ["click", "keyup", "change"]) {
      document.addEventListener(type, () => requestAnimationFrame(() => lesson.check()));
    }
  }

  /**
   * The page's network stands: a #lesson= or #compare= link opens its mode. The lesson may go
   * back to that network only when it is the tab's own, reopened (not one the link built).
   */
  started() {
    if (!this.atStart) return;
    const { reopened, resumed } = this.d.configure;
    this.compare.followHash(true);
    this.lesson.followHash(reopened, resumed);
  }

  /** A changed address: the mode it names opens, the other closes. */
  followHash() {
    this.compare.followHash();
    this.lesson.followHash();
  }

  /** The page changed: is the lesson's task done? */
  check() {
    this.lesson.check();
  }

  relabel() {
    this.d.lessonView.relabel();
    this.compare.relabel();
  }

  /**
   * What the transport's action does now: on the compared pair, or on the page's network.
   * @param {"step" | "phase" | "togglePlay" | "reset"} name
   * @returns {() => void}
   */
  act(name) {
    return () => (this.compare.active ? this.compare[name]() : this.d.stepper[name]());
  }
}
