// Play mode: keeps training at the chosen speed by asking for several steps per request
// ("steps": k), so the page keeps up at hundreds of steps per second.

const TARGET_INTERVAL_MS = 150; // about seven requests a second
const MAX_STEPS_PER_REQUEST = 200; // a pace; the stepper keeps it within the server's max_steps
/** Up to this speed (steps per second) play shows each step's phases in time; faster, done. */
const ANIMATED_UP_TO = 2;
/** One step's phases, all of them, when shown in time (a Step press; play at a slow speed). */
export const STEP_ANIMATION_MS = 1800;

/**
 * How long one step's phases take in an animated round of play: within the step's own share
 * of the time (900 ms of each second at 1 step/s), so the animation never slows the pace.
 * @param {number} stepsPerSecond
 * @returns {number} milliseconds
 */
export function playStepMs(stepsPerSecond) {
  return Math.min(STEP_ANIMATION_MS, 900 / stepsPerSecond);
}

/**
 * Steps per request for a speed and the time the last round trip took.
 * @param {number} stepsPerSecond
 * @param {number} lastRoundTripMs
 * @returns {number}
 */
export function stepsPerRequest(stepsPerSecond, lastRoundTripMs) {
  const interval = Math.max(TARGET_INTERVAL_MS, lastRoundTripMs);
  return Math.max(1, Math.min(MAX_STEPS_PER_REQUEST, Math.round((stepsPerSecond * interval) / 1000)));
}

export class Player {
  /**
   * @param {(k: number, animate: boolean) => Promise<boolean>} run does k steps and shows them
   *   (animated when slow); resolves false to stop playing
   * @param {() => number} speed steps per second wanted
   */
  constructor(run, speed) {
    this.run = run;
    this.speed = speed;
    this.playing = false;
    this.generation = 0;
  }

  start() {
    if (this.playing) return;
    this.playing = true;
    this.generation += 1;
    this.loop(this.generation);
  }

  stop() {
    this.playing = false;
    this.generation += 1;
  }

  /** @private */
  async loop(generation) {
    let lastMs = 0;
    while (this.playing && generation === this.generation) {
      const sps = this.speed();
      const animate = sps <= ANIMATED_UP_TO;
      const k = animate ? 1 : stepsPerRequest(sps, lastMs);
      const t0 = performance.now();
      const more = await this.run(k, animate);
      lastMs = performance.now() - t0;
      if (!more) {
        if (generation === this.generation) this.stop();
        return;
      }
      const wait = (k / sps) * 1000 - lastMs;
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
  }
}
