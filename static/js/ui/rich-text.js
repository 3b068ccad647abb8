// Text with elements in it: a catalog string's {name} placeholders become given nodes (a
// formula, a code identifier), so a sentence keeps its word order in every language.

/**
 * Appends `text` to `el`, each {name} with a node in `parts` replaced by that node (other
 * placeholders by <code>name</code>: identifiers of code, the same in every language).
 * @param {HTMLElement} el
 * @param {string} text
 * @param {Record<string, Node>} [parts]
 * @returns {HTMLElement} el
 */
export function richText(el, text, parts = {}) {
  text.split(/\{(\w+)\}/).forEach((piece, k) => {
    if (k % 2 === 0) {
      if (piece) el.append(piece);
    } else if (piece in parts) {
      el.append(parts[piece]);
    } else {
      const code = document.createElement("code");
      code.textContent = piece;
      el.append(code);
    }
  });
  return el;
}
