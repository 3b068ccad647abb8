// The guided lesson: opens a chapter (its own #lesson=<id> address), sets up the live network
// through Configure, notices from the page's state when the chapter's task is done, keeps the
// progress, and leaves (Esc) with the network as it is.

import { CHAPTERS, chapterIndex, firstOpen } from "../model/lessons.js";
import { leaveMode, modeValue, writeMode } from "../ui/mode-hash.js";
import { loadDone, saveDone } from "../ui/lesson-progress.js";

export class Lesson {
  /**
   * @param {object} deps
   * @param {import("../panels/lesson-view.js").LessonView} deps.view
   * @param {(config: any) => void} deps.rebuild builds the live network (Configure.rebuild)
   * @param {() => import("../model/catalog.js").Catalog} deps.catalog the API's catalog
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => import("../model/lessons.js").LessonState | null} deps.state the page now
   * @param {() => {config: any, id: string | null}} deps.home the page's network (its link)
   * @param {(active: boolean) => void} deps.toggled the lesson opened or closed
   */
  constructor(deps) {
    this.d = deps;
    this.active = false;
    /** @type {string} */
    this.chapter = CHAPTERS[0].id;
    this.done = loadDone();
    /** The chapter's network is being built: the page still shows the one before. */
    this.pending = false;
    this.openings = 0;
    const v = deps.view;
    v.bindChapter((id) => this.open(id));
    v.bindExit(() => this.close());
  }

  /**
   * Opens a chapter (by default the first not done) and sets up its network.
   * @param {string} [id]
   */
  open(id) {
    const at = chapterIndex(id ?? firstOpen(this.done));
    const chapter = CHAPTERS[at < 0 ? 0 : at];
    if (!this.active) {
      this.active = true;
      this.d.toggled(true);
    }
    this.chapter = chapter.id;
    writeMode("lesson", chapter.id);
    this.pending = true;
    const opening = ++this.openings;
    this.paint();
    this.d.rebuild(chapter.config(this.d.catalog()));
    // Runs after the rebuild (the queue keeps order): from now on the state is the chapter's,
    // unless another chapter was opened meanwhile (its own rebuild is still to come).
    this.d.serial(async () => {
      if (opening !== this.openings) return;
      this.pending = false;
      this.check();
    });
  }

  /** Leaves the lesson; the network stays as it is and the address names it again. */
  close(keepHash = false) {
    if (!this.active) return;
    this.active = false;
    this.d.view.show(false);
    if (!keepHash) leaveMode(this.d.home().config, this.d.home().id);
    this.d.toggled(false);
  }

  /** A changed address: another chapter, or out of the lesson. */
  followHash() {
    const id = modeValue("lesson");
    if (id !== null && (!this.active || id !== this.chapter)) this.open(id);
    else if (id === null && this.active) this.close(true);
  }

  /** Marks the chapter done when the page's state shows its task is done. */
  check() {
    if (!this.active || this.pending || this.done.includes(this.chapter)) return;
    const state = this.d.state();
    const chapter = CHAPTERS[chapterIndex(this.chapter)];
    if (!state || !chapter.done(state)) return;
    this.done = [...this.done, chapter.id];
    saveDone(this.done);
    this.paint(true);
  }

  /** @param {boolean} [justDone] the chapter was completed now (said to screen readers) */
  paint(justDone = false) {
    if (!this.active) return;
    this.d.view.show(true);
    this.d.view.render({ chapter: this.chapter, done: this.done, chapters: CHAPTERS.map((c) => c.id), justDone });
  }
}
