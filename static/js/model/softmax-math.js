// The seed's stable softmax, step by step: o − max, exp(o − max), their sum, the
// probabilities and the one-hot prediction. Pure.

/**
 * @param {number[]} o logits of one sample
 * @returns {{max: number, shifted: number[], exps: number[], sum: number, probs: number[],
 *            argmax: number, oneHot: number[]}}
 */
export function softmaxSteps(o) {
  const max = Math.max(...o);
  const shifted = o.map((v) => v - max);
  const exps = shifted.map(Math.exp);
  const sum = exps.reduce((a, b) => a + b, 0);
  const probs = exps.map((e) => e / sum);
  const argmax = o.indexOf(max);
  return { max, shifted, exps, sum, probs, argmax, oneHot: o.map((_, k) => (k === argmax ? 1 : 0)) };
}
