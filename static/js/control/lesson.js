// The guided lesson: opens a chapter (its own #lesson=<id> address), sets up the live network
// through Configure, notices from the page's state when the chapter's task is done, keeps the
// progress, and remembers the network the page showed before it: leaving goes back to that one
// (Esc, the default) or keeps the lesson's.

import { CHAPTERS, chapterIndex, firstOpen } from "../model/lessons.js";
import { leaveMode, modeValue, writeMode } from "../ui/mode-hash.js";
import { loadDone, saveDone } from "../ui/lesson-progress.js";
import { forgetLessonHome, keepLessonChapter, keepLessonHome, lessonChapter, lessonHome } from "../ui/reopen.js";
import { t } from "../i18n/i18n.js";

/** @typedef {import("../ui/reopen.js").KeptNetwork} KeptNetwork */

export class Lesson {
  /**
   * @param {object} deps
   * @param {import("../panels/lesson-view.js").LessonView} deps.view
   * @param {(config: any, spare: string | null) => void} deps.rebuild builds the live network,
   *   keeping `spare` on the server (Configure.rebuild)
   * @param {(id: string, config: any, goneText: string) => void} deps.reopen puts a network the
   *   server keeps back on screen, or says `goneText` (Configure.reopen)
   * @param {(id: string) => void} deps.forget deletes a network the page lets go
   * @param {() => import("../model/catalog.js").Catalog} deps.catalog the API's catalog
   * @param {(fn: () => Promise<void>) => Promise<void>} deps.serial runs API work in order
   * @param {() => import("../model/lessons.js").LessonState | null} deps.state the page now
   * @param {() => {config: any, id: string | null, step: number}} deps.home the page's network
   * @param {(active: boolean) => void} deps.toggled the lesson opened or closed
   */
  constructor(deps) {
    this.d = deps;
    this.active = false;
    /** @type {KeptNetwork | null} the network the page showed before the lesson (the way back) */
    this.home = null;
    /** @type {string} */
    this.chapter = CHAPTERS[0].id;
    this.done = loadDone();
    /** The chapter's network is being built: the page still shows the one before. */
    this.pending = false;
    this.openings = 0;
    const v = deps.view;
    v.bindChapter((id) => this.open(id));
    v.bindExit((back) => this.close({ back }));
  }

  /**
   * Opens a chapter (by default the first not done) and sets up its network.
   * @param {string} [id]
   * @param {boolean} [own] the network on screen is the reader's own (false for the one a
   *   lesson link built when it opened the tab: there is then no network to go back to)
   * @param {boolean} [resumed] the page started on the tab's own network (a reload): when the
   *   lesson was open on this chapter before it, that network is the chapter's and is kept
   *   (its step, weights and curves), not built anew
   */
  open(id, own = true, resumed = false) {
    const at = chapterIndex(id ?? firstOpen(this.done));
    const chapter = CHAPTERS[at < 0 ? 0 : at];
    if (!this.active) {
      this.active = true;
      this.remember(own);
      this.d.toggled(true);
    }
    this.chapter = chapter.id;
    writeMode("lesson", chapter.id);
    this.pending = true;
    const opening = ++this.openings;
    this.paint();
    const before = this.d.home().id;
    const resume = resumed && lessonChapter() === chapter.id;
    if (!resume) this.d.rebuild(chapter.config(this.d.catalog()), this.home && this.home.id);
    // Runs after the rebuild (the queue keeps order): from now on the state is the chapter's,
    // unless another chapter was opened meanwhile (its own rebuild is still to come).
    this.d.serial(async () => {
      if (opening !== this.openings) return;
      this.pending = false;
      // The network on screen is the chapter's (not one a refused build left): a reload keeps it.
      if (resume || this.d.home().id !== before) keepLessonChapter(chapter.id);
      this.check();
    });
  }

  /**
   * The network the page shows as the lesson opens is its way back; after a reload inside the
   * lesson, the one kept from before the reload (the page now shows a chapter's).
   * @param {boolean} own the network on screen is the reader's own
   * @private
   */
  remember(own) {
    const kept = lessonHome();
    const now = this.d.home();
    if (kept !== undefined) this.home = kept;
    else this.home = own && now.id ? { id: now.id, config: now.config, step: now.step } : null;
    keepLessonHome(this.home);
  }

  /**
   * Leaves the lesson: back to the network the page showed before it (the default), or with
   * the lesson's network (`back` false; the one before is then let go). The address names the
   * network on screen again.
   * @param {{back?: boolean, keepHash?: boolean}} [how] keepHash: the address already names
   *   something else (a followed link), which the page opens: nothing is reopened or deleted
   */
  close({ back = true, keepHash = false } = {}) {
    if (!this.active) return;
    const home = this.home;
    this.active = false;
    this.home = null;
    forgetLessonHome();
    this.d.view.show(false);
    if (!keepHash) leaveMode(this.d.home().config, this.d.home().id);
    this.d.toggled(false);
    // (a chapter's network the server refused leaves the reader's own on screen: nothing to do)
    if (!home || keepHash || home.id === this.d.home().id) return;
    if (back) this.d.reopen(home.id, home.config, t("lesson.home_gone", { step: home.step ?? 0 }));
    else this.d.forget(home.id);
  }

  /**
   * A changed address: another chapter, or out of the lesson.
   * @param {boolean} [own] see open()
   * @param {boolean} [resumed] see open()
   */
  followHash(own = true, resumed = false) {
    const id = modeValue("lesson");
    if (id !== null && (!this.active || id !== this.chapter)) this.open(id, own, resumed);
    else if (id === null && this.active) this.close({ back: false, keepHash: true });
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
    this.d.view.render({
      chapter: this.chapter, done: this.done, chapters: CHAPTERS.map((c) => c.id), justDone,
      home: this.home && { step: this.home.step ?? 0 },
    });
  }
}
