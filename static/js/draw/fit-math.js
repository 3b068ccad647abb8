// Block formulas that never get cut off: one too wide for its box is scaled down to fit (to a
// readable floor; past it, it scrolls), and again whenever the box changes width.

const FLOOR = 0.6; // never smaller than this share of the normal size

/**
 * Scales every block formula in `box` to its width.
 * @param {HTMLElement} box
 */
export function fitMath(box) {
  for (const el of box.querySelectorAll('math[display="block"]')) {
    const math = /** @type {HTMLElement} */ (el);
    math.style.fontSize = "";
    const { scrollWidth, clientWidth } = math;
    if (clientWidth > 0 && scrollWidth > clientWidth) {
      math.style.fontSize = `${Math.max(FLOOR, (clientWidth - 1) / scrollWidth).toFixed(3)}em`;
    }
  }
}

/**
 * Keeps the formulas in `box` fitted while the box changes width.
 * @param {HTMLElement} box
 */
export function keepMathFitted(box) {
  let width = 0;
  new ResizeObserver((entries) => {
    const w = entries[0].contentRect.width;
    if (Math.abs(w - width) > 1) {
      width = w;
      fitMath(box);
    }
  }).observe(box);
}
