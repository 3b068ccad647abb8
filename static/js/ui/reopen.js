// Which network the page opens at start: the one this tab was working on (its id kept in
// sessionStorage, so a reload reopens it while a link opened elsewhere builds its own), a copy
// of a trained network (#copy=<id>), or a new one from a configuration (#config=…); and, while
// the lesson is open, the network the page showed before it (the lesson's way back).

const STORE_KEY = "backprop-lens:network";
/** The network the page showed before the lesson opened, kept while the lesson is open. */
const LESSON_HOME_KEY = "backprop-lens:lesson-home";
/** The lesson chapter whose network the tab's network is (a reload keeps training it). */
const LESSON_CHAPTER_KEY = "backprop-lens:lesson-chapter";
/** The compared pair on screen and its two networks' ids (a reload reopens them). */
const PAIR_KEY = "backprop-lens:pair";
const COPY_KEY = "copy=";
/** A #config= link longer than this (many drawn points) gives way to the #copy= link. */
export const MAX_LINK_CHARS = 6000;

/**
 * A network the page may open again, as kept in the tab's storage.
 * @typedef {{id: string, config: any, step?: number}} KeptNetwork
 */

/**
 * Keeps the tab's network (id and configuration) for the next reload.
 * @param {string} id
 * @param {any} config
 */
export function remember(id, config) {
  store(STORE_KEY, { id, config });
}

/** @returns {KeptNetwork | null} the tab's last network, if it kept one */
export function remembered() {
  return asKept(read(STORE_KEY));
}

/**
 * Keeps, while the lesson is open, the network the page showed before it (null: none, as when
 * a lesson link opened the tab), so a reload inside the lesson still knows the way back.
 * @param {KeptNetwork | null} home
 */
export function keepLessonHome(home) {
  store(LESSON_HOME_KEY, { home });
}

/**
 * @returns {KeptNetwork | null | undefined} the network kept by keepLessonHome (null: none);
 *   undefined when the lesson was not open in this tab
 */
export function lessonHome() {
  const v = read(LESSON_HOME_KEY);
  return v && typeof v === "object" && "home" in v ? asKept(v.home) : undefined;
}

/** The lesson is left: its way back and its chapter are forgotten. */
export function forgetLessonHome() {
  drop(LESSON_HOME_KEY);
  drop(LESSON_CHAPTER_KEY);
}

/**
 * Keeps the chapter whose network the tab's network now is: a reload inside that chapter
 * reopens the network (ui/reopen.js remember) instead of building the chapter's anew.
 * @param {string} chapter
 */
export function keepLessonChapter(chapter) {
  store(LESSON_CHAPTER_KEY, { chapter });
}

/** @returns {string | null} the chapter kept by keepLessonChapter */
export function lessonChapter() {
  const v = read(LESSON_CHAPTER_KEY);
  return v && typeof v.chapter === "string" ? v.chapter : null;
}

/**
 * Keeps the compared pair on screen (its text, as in its #compare= address) and the ids of its
 * two networks, for the next reload.
 * @param {string} text
 * @param {string} a
 * @param {string} b
 */
export function keepPair(text, a, b) {
  store(PAIR_KEY, { text, a, b });
}

/** @returns {{text: string, a: string, b: string} | null} the pair kept by keepPair */
export function keptPair() {
  const v = read(PAIR_KEY);
  const ok = v && typeof v.text === "string" && typeof v.a === "string" && typeof v.b === "string";
  return ok ? v : null;
}

/** Compare mode is left: its pair is forgotten. */
export function forgetPair() {
  drop(PAIR_KEY);
}

function drop(key) {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // storage refused: nothing was kept
  }
}

/** @returns {KeptNetwork | null} */
function asKept(v) {
  return v && typeof v.id === "string" && v.config && typeof v.config === "object" ? v : null;
}

function store(key, value) {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage refused (private mode, quota): a reload then builds from the link
  }
}

function read(key) {
  try {
    return JSON.parse(window.sessionStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

/** @returns {string | null} the network a #copy=<id> link names */
export function readCopyId() {
  const hash = window.location.hash.replace(/^#/, "");
  if (!hash.startsWith(COPY_KEY)) return null;
  const id = decodeURIComponent(hash.slice(COPY_KEY.length));
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/**
 * The link that opens a copy of this trained network (weights, history and data as they are).
 * @param {string} id
 */
export function trainedLink(id) {
  return `${window.location.origin}${window.location.pathname}#${COPY_KEY}${encodeURIComponent(id)}`;
}

/**
 * The hash for a network: its configuration, or (when that is too long for a link) the link
 * to a copy of it.
 * @param {any} config
 * @param {string} id
 * @returns {string}
 */
export function hashFor(config, id) {
  const hash = `#config=${encodeURIComponent(JSON.stringify(config))}`;
  return hash.length <= MAX_LINK_CHARS ? hash : `#${COPY_KEY}${encodeURIComponent(id)}`;
}

/**
 * What to open at start.
 * @param {any | null} linkConfig the #config= of the address
 * @param {string | null} copyId the #copy= of the address
 * @param {{id: string, config: any} | null} kept the tab's last network
 * @returns {{kind: "reopen", id: string, config: any} | {kind: "copy", id: string} |
 *           {kind: "build", config: any | null}}
 */
export function startPlan(linkConfig, copyId, kept) {
  const same = kept && (
    (!linkConfig && !copyId)
    || copyId === kept.id
    || (linkConfig && JSON.stringify(linkConfig) === JSON.stringify(kept.config))
  );
  if (kept && same) return { kind: "reopen", id: kept.id, config: kept.config };
  if (copyId) return { kind: "copy", id: copyId };
  return { kind: "build", config: linkConfig };
}
