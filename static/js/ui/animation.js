// Drives a sequence of phases in time (one tick every `delay` ms), or all at once for
// reduced motion. What a tick shows is the caller's business; this module only keeps time.

/**
 * Whether the reader asked for reduced motion (the page then shows every phase at once).
 * @returns {boolean}
 */
export function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * Brings `el` into sight when it is out of the viewport (on a phone the panel a tap opens can
 * be a screen or more further down), just under the sticky bar `under`: smoothly, or at once
 * for reduced motion; then moves the focus to `focus` (without a second scroll). Nothing
 * happens when `el` is already in sight.
 * @param {HTMLElement} el
 * @param {HTMLElement} focus
 * @param {HTMLElement} under
 */
export function revealOutOfSight(el, focus, under) {
  const bar = getComputedStyle(under).position === "sticky" ? under.getBoundingClientRect().bottom : 0;
  const top = el.getBoundingClientRect().top;
  if (top >= bar && top < window.innerHeight - 40) return;
  const behavior = prefersReducedMotion() ? "instant" : "smooth";
  window.scrollTo({ top: window.scrollY + top - bar - 8, behavior });
  focus.focus({ preventScroll: true });
}

/** Calls a tick function repeatedly until it returns false. */
export class Ticker {
  constructor() {
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** @type {(() => boolean) | null} */
    this.tick = null;
    /** @type {(() => void) | null} */
    this.onDone = null;
  }

  /** @returns {boolean} */
  get running() {
    return this.tick !== null;
  }

  /**
   * Ticks now, then every `delay` ms while the tick returns true. A running sequence is
   * flushed (finished at once) first, so no phase is ever skipped.
   * @param {() => boolean} tick shows one phase; true while there are more
   * @param {number} delay milliseconds between phases
   * @returns {Promise<void>} resolves when the last phase has been shown (or on stop)
   */
  start(tick, delay) {
    this.flush();
    return new Promise((resolve) => {
      this.tick = tick;
      this.onDone = resolve;
      const loop = () => {
        this.timer = null;
        if (!this.tick) return;
        if (this.tick()) this.timer = setTimeout(loop, delay);
        else this.end();
      };
      loop();
    });
  }

  /** Shows every remaining phase now. */
  flush() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const tick = this.tick;
    if (!tick) return;
    while (tick()) { /* each call shows one more phase */ }
    this.end();
  }

  /** Stops where it is, leaving the remaining phases unshown (for manual stepping). */
  stop() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.end();
  }

  /** @private */
  end() {
    const done = this.onDone;
    this.tick = null;
    this.onDone = null;
    if (done) done();
  }
}
