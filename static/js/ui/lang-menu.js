// The language menu in the top bar: each language named in itself ("English", "한국어").

import { getLang, langName, languages, setLang } from "../i18n/i18n.js";

export class LangMenu {
  /** @param {HTMLSelectElement} select */
  constructor(select) {
    this.select = select;
    for (const code of languages()) {
      const option = document.createElement("option");
      option.value = code;
      option.lang = code;
      option.textContent = langName(code);
      select.appendChild(option);
    }
    select.value = getLang();
    select.addEventListener("change", () => setLang(select.value));
  }

  /** Shows the current language (after a switch by the keyboard shortcut, say). */
  render() {
    this.select.value = getLang();
  }

  /** Switches to the next language of the catalog. */
  next() {
    const all = languages();
    setLang(all[(all.indexOf(getLang()) + 1) % all.length]);
  }
}
