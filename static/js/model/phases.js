// The phases of one training step as a pure state machine: forward layer by layer, the loss,
// backward layer by layer (last layer first), then the update. No DOM, no timers.

/**
 * @typedef {{kind: "forward" | "backward", layer: number} | {kind: "loss" | "update"}} Phase
 * @typedef {{phases: Phase[], index: number}} PhaseMachine  index -1: not started
 */

/**
 * Every phase of a step through a network of `nLayers` weight layers.
 * @param {number} nLayers
 * @returns {Phase[]}
 */
export function phaseList(nLayers) {
  const out = [];
  for (let l = 0; l < nLayers; l += 1) out.push({ kind: "forward", layer: l });
  out.push({ kind: "loss" });
  for (let l = nLayers - 1; l >= 0; l -= 1) out.push({ kind: "backward", layer: l });
  out.push({ kind: "update" });
  return out;
}

/**
 * A stable name for a phase, e.g. "forward-0", "loss", "backward-2", "update".
 * @param {Phase | null} phase
 * @returns {string}
 */
export function phaseKey(phase) {
  if (!phase) return "idle";
  return "layer" in phase ? `${phase.kind}-${phase.layer}` : phase.kind;
}

/**
 * A machine positioned before the first phase.
 * @param {number} nLayers
 * @returns {PhaseMachine}
 */
export function createMachine(nLayers) {
  return { phases: phaseList(nLayers), index: -1 };
}

/**
 * The machine one phase further (unchanged when already finished).
 * @param {PhaseMachine} m
 * @returns {PhaseMachine}
 */
export function advance(m) {
  return isFinished(m) ? m : { phases: m.phases, index: m.index + 1 };
}

/**
 * @param {PhaseMachine} m
 * @returns {Phase | null}
 */
export function current(m) {
  return m.index >= 0 ? m.phases[m.index] : null;
}

/**
 * @param {PhaseMachine} m
 * @returns {boolean}
 */
export function isFinished(m) {
  return m.index >= m.phases.length - 1;
}

/**
 * The order in which the backward phase of weight layer l shows its arrows (0 = first).
 * @param {number} nLayers
 * @param {number} l
 * @returns {number}
 */
export function backwardRank(nLayers, l) {
  return nLayers - 1 - l;
}
