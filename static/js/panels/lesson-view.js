// The lesson panel: the chapters in order (done ones ticked), the open chapter's title, what to
// look at, the one thing to do and whether it is done, previous/next, and the way out (Esc):
// back to the reader's own network or keeping the lesson's, when there is one to go back to.

import { clear, htmlEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";

export class LessonView {
  /**
   * @param {HTMLElement} root the lesson panel of the template
   * @param {HTMLButtonElement} toggle the top bar's Lesson button
   */
  constructor(root, toggle) {
    this.root = root;
    this.toggle = toggle;
    this.list = root.querySelector("[data-role=chapters]");
    this.title = root.querySelector("[data-role=title]");
    this.look = root.querySelector("[data-role=look]");
    this.task = root.querySelector("[data-role=task]");
    this.status = root.querySelector("[data-role=status]");
    this.prev = root.querySelector("[data-action=prev]");
    this.next = root.querySelector("[data-action=next]");
    this.exit = root.querySelector("[data-action=exit]");
    this.leave = root.querySelector("[data-role=leave]");
    this.back = root.querySelector("[data-role=back]");
    this.onChapter = (_id) => {};
    this.onExit = (_back) => {};
    this.state = null;
    this.exit.addEventListener("click", () => this.onExit(true));
    root.querySelector("[data-action=back]").addEventListener("click", () => this.onExit(true));
    root.querySelector("[data-action=keep]").addEventListener("click", () => this.onExit(false));
    this.prev.addEventListener("click", () => this.step(-1));
    this.next.addEventListener("click", () => this.step(1));
    document.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape" || this.root.hidden || ev.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return; // Esc closes the dialog first
      ev.preventDefault();
      this.onExit(true); // the default way out: back to the reader's own network
    });
  }

  /** @param {(id: string) => void} fn a chapter chosen */
  bindChapter(fn) { this.onChapter = fn; }

  /** @param {(back: boolean) => void} fn leave the lesson: back to the reader's network, or not */
  bindExit(fn) { this.onExit = fn; }

  /** @param {() => void} fn the top bar's Lesson button pressed */
  bindOpen(fn) { this.toggle.addEventListener("click", fn); }

  /** @param {boolean} on */
  show(on) {
    this.root.hidden = !on;
    this.toggle.setAttribute("aria-pressed", String(on));
    // The focus was inside what is now hidden: it goes back to the button that opened it.
    if (!on && this.root.contains(document.activeElement)) this.toggle.focus();
  }

  /**
   * @param {{chapter: string, done: string[], chapters: string[], justDone?: boolean,
   *          home: {step: number} | null}} state home: the network the page showed before the
   *   lesson (leaving offers to go back to it), or none
   */
  render(state) {
    this.state = state;
    const { chapter, done, chapters } = state;
    const at = chapters.indexOf(chapter);
    clear(this.list);
    chapters.forEach((id, k) => {
      const li = htmlEl("li", {}, this.list);
      const isDone = done.includes(id);
      const b = htmlEl("button", {
        type: "button", class: `lesson-chip${isDone ? " done" : ""}`, "data-testid": `lesson-chapter-${id}`,
        "data-done": String(isDone), "aria-current": id === chapter ? "step" : false,
        title: t(`lesson.${id}.title`), "aria-label": `${k + 1}. ${t(`lesson.${id}.title`)}${isDone ? ` (${t("lesson.done_short")})` : ""}`,
      }, li);
      htmlEl("span", { "aria-hidden": "true", text: isDone ? "✓" : String(k + 1) }, b);
      b.addEventListener("click", () => this.onChapter(id));
    });
    this.root.dataset.chapter = chapter;
    this.title.textContent = t("lesson.heading", { k: at + 1, n: chapters.length, title: t(`lesson.${chapter}.title`) });
    this.look.textContent = t(`lesson.${chapter}.look`);
    this.task.textContent = t(`lesson.${chapter}.task`);
    const isDone = done.includes(chapter);
    this.root.dataset.done = String(isDone);
    this.status.dataset.done = String(isDone);
    this.status.textContent = isDone ? t("lesson.done") : t("lesson.todo");
    this.exit.hidden = state.home !== null;
    this.leave.hidden = state.home === null;
    if (state.home) this.back.textContent = t("lesson.back", { step: state.home.step });
    this.prev.disabled = at <= 0;
    this.next.disabled = at >= chapters.length - 1;
  }

  /** Relabels in the current language. */
  relabel() {
    if (this.state && !this.root.hidden) this.render(this.state);
  }

  /** @private */
  step(delta) {
    if (!this.state) return;
    const { chapters, chapter } = this.state;
    const to = chapters[chapters.indexOf(chapter) + delta];
    if (to) this.onChapter(to);
  }
}
