// Turns the boundary API's compact grids (base64 uint8, row-major from the top-left) into
// PNG data URLs: the output as class colour shaded by confidence (or a diverging scale for
// regression), and each hidden neuron's activation over the input plane.

import { classColor, divergingRGB, hexToRGB } from "./scales.js";

/**
 * base64 → bytes.
 * @param {string} b64
 * @returns {Uint8Array}
 */
export function bytes(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let k = 0; k < s.length; k += 1) out[k] = s.charCodeAt(k);
  return out;
}

/**
 * Paints n × n cells with `color(k)` → [r, g, b] and returns the PNG as a data URL.
 * @param {number} n
 * @param {(k: number) => [number, number, number]} color
 * @returns {string}
 */
function image(n, color) {
  const canvas = document.createElement("canvas");
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(n, n);
  for (let k = 0; k < n * n; k += 1) {
    const [r, g, b] = color(k);
    img.data[4 * k] = r;
    img.data[4 * k + 1] = g;
    img.data[4 * k + 2] = b;
    img.data[4 * k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

/** Mixes an RGB colour with white: a = 0 is white, 1 the colour. */
function tint(rgb, a) {
  return /** @type {[number, number, number]} */ (rgb.map((c) => Math.round(255 + (c - 255) * a)));
}

/**
 * The output grid: class colour lightened by (1 − confidence), or the regression value on the
 * diverging scale over `yRange`.
 * @param {any} b the boundary answer (kind "grid")
 * @param {[number, number]} yRange the targets' range (regression)
 * @returns {string} a data URL
 */
export function outputImage(b, yRange) {
  const out = b.output;
  const cls = out.class ? bytes(out.class) : null;
  const conf = out.confidence ? bytes(out.confidence) : null;
  const val = out.value ? bytes(out.value) : null;
  const rgbs = cls ? Array.from({ length: Math.max(1, b.classes) }, (_, k) => hexToRGB(classColor(k))) : [];
  return image(b.resolution, (k) => {
    if (cls) {
      const a = 0.12 + (0.5 * Math.max(0, (conf ? conf[k] / 255 : 1) - 0.3)) / 0.7;
      return tint(rgbs[cls[k]] || hexToRGB(classColor(cls[k])), a);
    }
    const v = out.min + (val[k] / 255) * (out.max - out.min);
    return tint(divergingRGB(v, yRange[0], yRange[1]), 0.6);
  });
}

/**
 * One hidden neuron's activation over the plane: blue for positive, orange for negative, white
 * at zero, full colour at the largest |h| of its grid.
 * @param {{value: string, min: number, max: number}} grid
 * @param {number} n cells per side
 * @returns {string} a data URL
 */
export function neuronImage(grid, n) {
  const val = bytes(grid.value);
  const top = Math.max(Math.abs(grid.min), Math.abs(grid.max)) || 1;
  return image(n, (k) => {
    const v = grid.min + (val[k] / 255) * (grid.max - grid.min);
    return tint(divergingRGB(v, -top, top), 0.85);
  });
}
