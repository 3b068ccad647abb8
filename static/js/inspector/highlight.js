// Pointing at a factor highlights where it lives in the network: every element under `el`
// with data-hl (hovered or focused) reports its targets, and leaving reports none.

/**
 * @param {HTMLElement} el
 * @param {() => (targets: string | null) => void} handler the current handler (read per event)
 */
export function watchHighlights(el, handler) {
  const hl = (ev) => {
    const target = ev.target instanceof Element ? ev.target.closest("[data-hl]") : null;
    handler()(target ? target.getAttribute("data-hl") : null);
  };
  el.addEventListener("pointerover", hl);
  el.addEventListener("focusin", hl);
  el.addEventListener("pointerleave", () => handler()(null));
  el.addEventListener("focusout", () => handler()(null));
}
