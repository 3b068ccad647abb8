// The step on screen: its trace, how many of its phases have been shown, and what the page
// showed before it (kept until its update phase). Pure: turns that into a display state.

import { advance, createMachine, current, isFinished, phaseKey } from "./phases.js";

/**
 * @typedef {object} Display
 * @property {number[][][]} weights W(l) shown (the ones before the update until "update")
 * @property {any | null} trace the step response whose values are shown
 * @property {number} row the batch row whose values the nodes show
 * @property {number} forward weight layers whose forward pass is shown (0..L)
 * @property {boolean} loss the loss phase has been shown
 * @property {number} backward weight layers whose backward pass is shown, last first (0..L)
 * @property {boolean} updated the update phase has been shown
 * @property {boolean} marks show the update marks (Δw per weight)
 * @property {string} phase the phase key ("idle", "forward-0", …, "update")
 * @property {boolean} motion animate (flowing dashes, transitions)
 */

/**
 * @typedef {object} ShownStep
 * @property {any} trace the step response
 * @property {import("./phases.js").PhaseMachine} machine
 * @property {any} before {weights, biases, step, metrics, historyLength} before the step
 * @property {number} row the batch row shown
 * @property {boolean} marks show the update marks at the update phase
 */

/**
 * @param {any} trace
 * @param {any} before
 * @param {boolean} marks
 * @returns {ShownStep}
 */
export function startStep(trace, before, marks) {
  return { trace, machine: createMachine(trace.layers.length), before, row: 0, marks };
}

/**
 * The same step one phase further (unchanged when finished).
 * @param {ShownStep} s
 * @returns {ShownStep}
 */
export function nextPhase(s) {
  return { ...s, machine: advance(s.machine) };
}

/**
 * The same step with every phase shown.
 * @param {ShownStep} s
 * @returns {ShownStep}
 */
export function finishStep(s) {
  let m = s.machine;
  while (!isFinished(m)) m = advance(m);
  return { ...s, machine: m };
}

/**
 * What the network view shows for a step (or for none: the current weights, no values).
 * @param {ShownStep | null} s
 * @param {number[][][]} weights the network's current weights
 * @param {boolean} motion
 * @returns {Display}
 */
export function displayOf(s, weights, motion) {
  if (!s) {
    return {
      weights, trace: null, row: 0, forward: 0, loss: false, backward: 0, updated: false,
      marks: false, phase: "idle", motion,
    };
  }
  const seen = s.machine.phases.slice(0, s.machine.index + 1);
  const updated = seen.some((p) => p.kind === "update");
  return {
    weights: updated ? s.trace.weights : s.before.weights,
    trace: s.trace,
    row: s.row,
    forward: seen.filter((p) => p.kind === "forward").length,
    loss: seen.some((p) => p.kind === "loss"),
    backward: seen.filter((p) => p.kind === "backward").length,
    updated,
    marks: s.marks,
    phase: phaseKey(current(s.machine)),
    motion,
  };
}
