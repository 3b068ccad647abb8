// What the phase badge and the caption under the network say for each phase.

import { fmt, layerMark } from "../draw/format.js";
import { t } from "./i18n.js";

/**
 * @param {string} key phase key ("idle", "forward-0", …)
 * @returns {string} e.g. "backward · layer 2"
 */
export function phaseLabel(key) {
  const [kind, layer] = key.split("-");
  return t(`phase.${kind}`, { layer: Number(layer) + 1 });
}

/**
 * The sentence under the network: what this phase computes, with its formula.
 * @param {string} key phase key
 * @param {{config: any, step: number, trace: any | null}} ctx
 * @returns {string}
 */
export function caption(key, { config, step, trace }) {
  const [kind, layerText] = key.split("-");
  const l = Number(layerText) + 1;
  const params = {
    k: l, l: layerMark(l), prev: layerMark(l - 1), act: config.activations[l - 1],
    n: trace ? trace.batch.length : 0, loss: trace ? fmt(trace.loss_before) : "",
    loss_name: t(`loss.${config.loss}`), lr: fmt(config.optimizer.learning_rate), step,
  };
  if (kind === "update") {
    return t(`caption.update_${config.optimizer.name}`, params);
  }
  // A skip layer (residual) adds its input: h = h_prev + σ(z), and passes ∂L/∂h straight back.
  const skip = trace && (kind === "forward" || kind === "backward") && trace.layers[l - 1].skip;
  return t(`caption.${kind}${skip ? "_skip" : ""}`, params);
}
