/* One runtime in the page: progress, "continue where you left off", and, inside a learning
 * platform (LMS), score and status.
 *
 * - Launched by an LMS: finds the SCORM 2004 `API_1484_11` or SCORM 1.2 `API` object (the ADL
 *   discovery algorithm: up to 7 parents, then the opener's chain), or the cmi5 launch
 *   parameters in the URL (endpoint, fetch, registration, activityId, actor). It reports the
 *   location (the current page), the pages seen, the self-check score (quiz.js's
 *   `course:quiz-score` event) and completion and success by the rule in `lms-config.json`
 *   (next to `assets/`, written by the package build), saves suspend data (pages seen, last
 *   location) so the learner resumes where they stopped, and commits when the page is hidden.
 *   cmi5 statements go to the LRS endpoint of the launch URL, nowhere else.
 * - Anywhere else (the plain site, the offline folder): progress stays in this browser
 *   (localStorage) and nothing is sent anywhere: a progress bar per module and a "Continue
 *   where you left off" link on the home page and the module pages.
 *
 * Nothing about a participant's answers leaves the device: only the score and the status go
 * to the LMS that launched the package. Plain ES2017, no framework, no other host. Never
 * throws: every failure leaves the page working as if there were no LMS.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[src$='lms-runtime.js']");
  var SCRIPT_URL = script ? script.src : new URL("assets/lms-runtime.js", location.href).href;
  var ROOT = new URL("..", SCRIPT_URL).href; // the folder holding assets/: the site (or package) root
  var CONFIG_URL = new URL("../lms-config.json", SCRIPT_URL).href;
  var LOCAL_KEY = "course-progress:" + ROOT;
  var SESSION_KEY = "course-lms:" + ROOT;
  var SUSPEND_LIMIT = 4000; // SCORM 1.2 allows 4096 characters of suspend data
  var WITHIN_MS = 10000; // a page left this soon after a click on a link of the package: not an exit

  var CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var MASTERY_EXT = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var VERBS = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated"
  };
  var PROGRESS_STATE = "course-progress"; // the AU's own state document (pages seen, location)

  /* ---------------------------------------------------------------- small helpers */

  function safe(fn) {
    return function () {
      try {
        var result = fn.apply(this, arguments);
        if (result && typeof result.catch === "function") result.catch(function () {});
        return result;
      } catch (e) {
        return undefined;
      }
    };
  }

  function readJSON(storage, key) {
    try {
      var text = storage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch (e) {
      return null;
    }
  }

  function writeJSON(storage, key, value) {
    try {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function storageOf(name) {
    try {
      var s = window[name];
      return s && typeof s.getItem === "function" ? s : null;
    } catch (e) {
      return null; // storage blocked (privacy settings, sandboxed frames)
    }
  }

  /* A URL as a key relative to the site root: "modules/01-x/02-y/" (index.html dropped). */
  function keyOf(url) {
    var u;
    try {
      u = new URL(url, location.href);
    } catch (e) {
      return null;
    }
    u.hash = "";
    u.search = "";
    var href = u.href;
    if (href.indexOf(ROOT) !== 0) return null;
    return href.slice(ROOT.length).replace(/(^|\/)index\.html$/, "$1");
  }

  var HREFS = {}; // page key -> the URL the built pages link (a folder, or a file in offline builds and packages)

  function hrefOf(key) {
    if (HREFS[key]) return HREFS[key];
    var url = new URL(key, ROOT).href;
    if (location.protocol === "file:" && (key === "" || /\/$/.test(key))) url += "index.html";
    return url;
  }

  function decodeText(text) {
    var t = document.createElement("textarea"); // RCDATA: entities decoded, nothing run
    t.innerHTML = String(text || "");
    return t.value;
  }

  function pageTitle() {
    var h1 = document.querySelector(".md-content h1, article h1, h1");
    var text = h1 ? h1.textContent : document.title.split(" - ")[0];
    return text.replace(/\s+/g, " ").trim().slice(0, 120);
  }

  function folderOf(key) {
    var m = /^(modules\/[^/]+\/)/.exec(key || "");
    return m ? m[1] : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function round(x, digits) {
    var f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  function isoDuration(ms) {
    var s = Math.max(0, ms) / 1000;
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = round(s % 60, 2);
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + sec + "S";
  }

  function scorm12Time(ms) {
    var cs = Math.round(Math.max(0, ms) / 10);
    var h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), s = (cs % 6000) / 100;
    function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s.toFixed(2), 5);
  }

  /* ---------------------------------------------------------------- the course's structure */

  /* Modules and their pages, from the data the theme writes into every page (overrides/main.html). */
  function readStructure() {
    var node = document.getElementById("__course-progress");
    var data = null;
    try {
      data = node ? JSON.parse(node.textContent) : null;
    } catch (e) {
      data = null;
    }
    var modules = [];
    ((data && data.modules) || []).forEach(function (m) {
      var pages = (m.pages || []).map(function (p) {
        var href = new URL(p, ROOT).href, key = keyOf(href);
        if (key !== null) HREFS[key] = href;
        return key;
      }).filter(function (k) { return k !== null; });
      if (pages.length) modules.push({ title: decodeText(m.title), pages: pages, folder: folderOf(pages[0]) });
    });
    return modules;
  }

  function moduleOfKey(modules, key) {
    for (var i = 0; i < modules.length; i++) {
      if (modules[i].pages.indexOf(key) >= 0) return modules[i];
    }
    return null;
  }

  /* ---------------------------------------------------------------- completion rule */

  var RULE_NAMES = {
    pages: "pages", "all-pages": "pages", lessons: "pages", viewed: "pages", "all-lessons-viewed": "pages",
    "lessons-viewed": "pages",
    quiz: "quiz", "quiz-attempted": "quiz", attempted: "quiz",
    mastery: "mastery", "quiz-passed": "mastery", passed: "mastery", score: "mastery"
  };

  function normaliseConfig(raw, modules, key) {
    var config = raw && typeof raw === "object" ? raw : {};
    var rule = config.rule === undefined ? ["pages"] : config.rule;
    if (!Array.isArray(rule)) rule = [rule];
    rule = rule.map(function (r) { return RULE_NAMES[String(r).toLowerCase()]; }).filter(Boolean);
    if (!rule.length) rule = ["pages"]; // an unknown rule never completes a module at once
    var mastery = config.mastery_score;
    mastery = typeof mastery === "number" && mastery >= 0 && mastery <= 100 ? mastery : null;
    var pages = Array.isArray(config.pages)
      ? config.pages.map(function (p) { return keyOf(new URL(String(p), ROOT).href); }).filter(function (k) { return k !== null; })
      : [];
    if (!pages.length) {
      var m = moduleOfKey(modules, key);
      pages = m ? m.pages.slice() : [key];
    }
    // What the organiser lets the page report (course.yaml `completion.report`).
    var report = Array.isArray(config.report) ? config.report.map(String) : ["completion", "success", "score"];
    return {
      standard: config.standard || "",
      module: config.module || "",
      report: { completion: report.indexOf("completion") >= 0, success: report.indexOf("success") >= 0,
                score: report.indexOf("score") >= 0 },
      rule: rule,
      mastery: mastery,
      pages: pages
    };
  }

  /* Completion and success from the state: {completed, success: "passed" | "failed" | "unknown"}. */
  function judge(config, state, mastery) {
    var seenAll = config.pages.every(function (p) { return state.s.indexOf(p) >= 0; });
    var attempted = state.a === true;
    var passed = attempted && mastery !== null && state.q !== null && state.q >= mastery;
    var completed = config.rule.every(function (r) {
      if (r === "pages") return seenAll;
      if (r === "quiz") return attempted;
      if (r === "mastery") return passed || (mastery === null && attempted);
      return false;
    });
    var success = "unknown";
    if (attempted && mastery !== null && state.q !== null) success = passed ? "passed" : "failed";
    return { completed: completed, success: success, progress: config.pages.length ?
      config.pages.filter(function (p) { return state.s.indexOf(p) >= 0; }).length / config.pages.length : 0 };
  }

  function emptyState() {
    return { v: 1, s: [], l: "", t: "", q: null, a: false };
  }

  function parseState(text) {
    var state = emptyState();
    try {
      var data = typeof text === "string" ? (text ? JSON.parse(text) : null) : text;
      if (data && typeof data === "object") {
        if (Array.isArray(data.s)) state.s = data.s.filter(function (x) { return typeof x === "string"; });
        if (typeof data.l === "string") state.l = data.l;
        if (typeof data.t === "string") state.t = data.t;
        if (typeof data.q === "number") state.q = data.q;
        state.a = data.a === true;
        if (data.c === true) state.c = true;
        if (data.p === true) state.p = true;
      }
    } catch (e) {
      /* not ours, or damaged: start afresh */
    }
    return state;
  }

  /* Suspend data: the state as JSON, never longer than SCORM 1.2 allows (oldest pages go first). */
  function suspendData(state) {
    var copy = JSON.parse(JSON.stringify(state));
    var text = JSON.stringify(copy);
    while (text.length > SUSPEND_LIMIT && copy.s.length) {
      copy.s.shift();
      text = JSON.stringify(copy);
    }
    if (text.length > SUSPEND_LIMIT) {
      copy.t = "";
      copy.l = copy.l.slice(0, 255);
      text = JSON.stringify(copy);
    }
    return text;
  }

  /* ---------------------------------------------------------------- leaving the package or not */

  var session = storageOf("sessionStorage");

  function sessionData() {
    return (session && readJSON(session, SESSION_KEY)) || {};
  }

  function saveSession(data) {
    if (session) writeJSON(session, SESSION_KEY, data);
  }

  function markWithin() {
    var data = sessionData();
    data.within = Date.now();
    saveSession(data);
  }

  function leavingForAnotherPage() {
    var data = sessionData();
    return typeof data.within === "number" && Date.now() - data.within < WITHIN_MS;
  }

  /* Moving to another page of the same package (a link, back and forward, a reload) is no
     exit: the session goes on there. `within(key)` says which pages belong to the package. */
  function watchNavigation(within) {
    document.addEventListener("click", safe(function (event) {
      var a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!a || a.hasAttribute("download") || (a.target && a.target !== "_self")) return;
      var key = keyOf(a.href);
      if (key !== null && key !== keyOf(location.href) && within(key)) markWithin();
    }), true);
    if (window.navigation && typeof window.navigation.addEventListener === "function") {
      window.navigation.addEventListener("navigate", safe(function (event) {
        var d = event.destination;
        if (!d || d.sameDocument) return; // history.replaceState, #anchors: the page stays
        var key = d.url ? keyOf(d.url) : null;
        if (key !== null && within(key)) markWithin();
      }));
    }
  }

  /* ---------------------------------------------------------------- SCORM 1.2 and 2004 */

  function findAPIIn(win, name) {
    var tries = 0;
    try {
      while (win && win[name] == null && win.parent && win.parent !== win) {
        tries++;
        if (tries > 7) return null;
        win = win.parent;
      }
      return win && win[name] != null ? win[name] : null;
    } catch (e) {
      return null; // another origin's window: not our LMS
    }
  }

  function findAPI(name) {
    var api = findAPIIn(window, name);
    if (!api) {
      try {
        if (window.opener) api = findAPIIn(window.opener, name);
      } catch (e) {
        api = null;
      }
    }
    return api;
  }

  var SCORM = {
    scorm12: {
      init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError",
      location: "cmi.core.lesson_location", exit: "cmi.core.exit", time: "cmi.core.session_time",
      raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
      mastery: "cmi.student_data.mastery_score"
    },
    scorm2004: {
      init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError",
      location: "cmi.location", exit: "cmi.exit", time: "cmi.session_time",
      raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
      mastery: "cmi.scaled_passing_score"
    }
  };

  function Scorm(kind, api) {
    this.kind = kind;
    this.api = api;
    this.names = SCORM[kind];
  }

  Scorm.prototype.call = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    try {
      var fn = this.api[this.names[name]];
      return typeof fn === "function" ? String(fn.apply(this.api, args)) : "";
    } catch (e) {
      return "";
    }
  };
  Scorm.prototype.get = function (element) { return this.call("get", element); };
  Scorm.prototype.set = function (element, value) { return this.call("set", element, String(value)) === "true"; };
  Scorm.prototype.lastError = function () { return parseInt(this.call("error"), 10) || 0; };

  /* Initialize, or carry on a session the previous page of the package started. */
  Scorm.prototype.start = function () {
    if (this.call("init", "") === "true") return "new";
    // SCORM 2004 says 103 "already initialized". SCORM 1.2 has one general 101 for that and for
    // "finished": the session is live only if an earlier page of this tab started it.
    if (this.kind === "scorm2004") return this.lastError() === 103 ? "continued" : null;
    return sessionData().live ? "continued" : null;
  };

  Scorm.prototype.load = function () {
    var mastery = parseFloat(this.get(this.names.mastery));
    if (!isFinite(mastery)) mastery = null;
    else if (this.kind === "scorm2004") mastery = mastery * 100; // scaled_passing_score is -1..1
    return { state: parseState(this.get("cmi.suspend_data")), mastery: mastery };
  };

  Scorm.prototype.report = function (state, verdict, allowed) {
    var n = this.names;
    if (state.l) this.set(n.location, state.l.slice(0, this.kind === "scorm12" ? 255 : 1000));
    this.set("cmi.suspend_data", suspendData(state));
    if (!allowed.success) verdict = { completed: verdict.completed, success: "unknown", progress: verdict.progress };
    if (!allowed.completion) verdict = { completed: false, success: verdict.success, progress: verdict.progress };
    if (allowed.score && state.a && state.q !== null) {
      this.set(n.min, 0);
      this.set(n.max, 100);
      this.set(n.raw, round(state.q, 2));
      if (this.kind === "scorm2004") this.set("cmi.score.scaled", round(state.q / 100, 4));
    }
    if (this.kind === "scorm12") {
      // One status in SCORM 1.2: passed or failed once complete (or once judged, when only
      // success is reported), else completed or incomplete.
      var status = verdict.completed || (!allowed.completion && verdict.success !== "unknown")
        ? (verdict.success === "unknown" ? "completed" : verdict.success) : "incomplete";
      var current = this.get("cmi.core.lesson_status");
      // Never take back a result the LMS already holds (a later visit only adds to it).
      if (!(current === "passed" || (current === "completed" && status === "incomplete") ||
            (current === "failed" && status === "incomplete"))) {
        this.set("cmi.core.lesson_status", status);
      }
    } else {
      var completion = verdict.completed ? "completed" : "incomplete";
      if (allowed.completion && !(this.get("cmi.completion_status") === "completed" && completion === "incomplete")) {
        this.set("cmi.completion_status", completion);
      }
      if (verdict.success !== "unknown" && this.get("cmi.success_status") !== "passed") {
        this.set("cmi.success_status", verdict.success);
      }
      this.set("cmi.progress_measure", round(verdict.progress, 4));
    }
    this.set(n.exit, "suspend"); // keep the attempt open: the learner resumes where they stopped
  };

  Scorm.prototype.commit = function () { return this.call("commit", "") === "true"; };

  Scorm.prototype.finish = function (startedAt) {
    this.set(this.names.time, this.kind === "scorm12" ? scorm12Time(Date.now() - startedAt)
      : isoDuration(Date.now() - startedAt));
    this.commit();
    this.call("finish", "");
  };

  /* ---------------------------------------------------------------- cmi5 */

  var CMI5_PARAMS = ["endpoint", "fetch", "registration", "activityId", "actor"];

  function cmi5Launch() {
    var q = new URLSearchParams(location.search);
    if (CMI5_PARAMS.every(function (p) { return q.get(p); })) {
      var launch = {};
      CMI5_PARAMS.forEach(function (p) { launch[p] = q.get(p); });
      return launch;
    }
    return null;
  }

  function Cmi5(launch, stored) {
    this.launch = launch;
    this.kind = "cmi5";
    this.endpoint = launch.endpoint.replace(/\/?$/, "/");
    this.actor = JSON.parse(launch.actor);
    this.stored = stored; // what earlier pages of this session learned: token, launch data, flags
    this.queue = Promise.resolve();
  }

  Cmi5.prototype.headers = function (json) {
    var h = { "X-Experience-API-Version": "1.0.3", Authorization: "Basic " + this.stored.token };
    if (json) h["Content-Type"] = "application/json";
    return h;
  };

  Cmi5.prototype.stateUrl = function (stateId) {
    var q = new URLSearchParams({
      stateId: stateId, activityId: this.launch.activityId, agent: JSON.stringify(this.actor),
      registration: this.launch.registration
    });
    return this.endpoint + "activities/state?" + q.toString();
  };

  /* The fetch URL gives the auth token, once per session (the cmi5 spec allows one call). */
  Cmi5.prototype.start = async function () {
    var s = this.stored;
    if (s.terminated) return null;
    var fresh = false;
    if (!s.token) {
      if (s.fetched) return null; // the one call failed: nothing can be sent
      s.fetched = true;
      persistCmi5(this);
      var response = await fetch(this.launch.fetch, { method: "POST", credentials: "omit", cache: "no-store" });
      var body = await response.json();
      if (!response.ok || !body["auth-token"]) return null;
      s.token = body["auth-token"];
      fresh = true;
    }
    if (!s.launchData) {
      var r = await fetch(this.stateUrl("LMS.LaunchData"), { headers: this.headers(false), credentials: "omit", cache: "no-store" });
      if (!r.ok) return null;
      s.launchData = await r.json();
    }
    if (!s.progress) {
      var p = await fetch(this.stateUrl(PROGRESS_STATE), { headers: this.headers(false), credentials: "omit", cache: "no-store" });
      s.progress = p.ok ? await p.json() : {};
    }
    if (!s.startedAt) s.startedAt = Date.now();
    persistCmi5(this);
    if (!s.initialized) {
      s.initialized = true;
      persistCmi5(this);
      this.send("initialized", {});
    }
    return fresh ? "new" : "continued";
  };

  Cmi5.prototype.load = function () {
    var ld = this.stored.launchData || {};
    var mastery = typeof ld.masteryScore === "number" ? ld.masteryScore * 100 : null;
    return { state: parseState(this.stored.progress || {}), mastery: mastery };
  };

  Cmi5.prototype.context = function (moveOn, masteryScaled) {
    var template = (this.stored.launchData && this.stored.launchData.contextTemplate) || {};
    var context = JSON.parse(JSON.stringify(template));
    context.registration = this.launch.registration;
    var activities = context.contextActivities = context.contextActivities || {};
    var category = (activities.category || []).filter(function (c) {
      return c && c.id !== CMI5_CATEGORY && c.id !== MOVEON_CATEGORY;
    });
    category.push({ id: CMI5_CATEGORY, objectType: "Activity" });
    if (moveOn) category.push({ id: MOVEON_CATEGORY, objectType: "Activity" });
    activities.category = category;
    if (masteryScaled !== null && masteryScaled !== undefined) {
      context.extensions = context.extensions || {};
      context.extensions[MASTERY_EXT] = masteryScaled;
    }
    return context;
  };

  Cmi5.prototype.statement = function (verb, result, moveOn, masteryScaled) {
    var st = {
      id: uuid(),
      actor: this.actor,
      verb: { id: VERBS[verb], display: { "en-US": verb } },
      object: { id: this.launch.activityId, objectType: "Activity" },
      context: this.context(moveOn, masteryScaled),
      timestamp: new Date().toISOString()
    };
    if (result && Object.keys(result).length) st.result = result;
    return st;
  };

  /* Statements go out one after another, in order; keepalive lets the last one outlive the page. */
  Cmi5.prototype.send = function (verb, result, moveOn, masteryScaled) {
    var self = this;
    var body = JSON.stringify(this.statement(verb, result, moveOn, masteryScaled));
    var post = function () {
      return fetch(self.endpoint + "statements", {
        method: "POST", headers: self.headers(true), body: body, keepalive: true, credentials: "omit"
      });
    };
    if (verb === "terminated") return post(); // the page is going: no waiting in the queue
    this.queue = this.queue.then(post, post).catch(function () {});
    return this.queue;
  };

  Cmi5.prototype.saveProgress = function (state, keepalive) {
    this.stored.progress = JSON.parse(JSON.stringify(state));
    persistCmi5(this);
    var body = JSON.stringify(state);
    if (keepalive && body.length > 60000) return;
    fetch(this.stateUrl(PROGRESS_STATE), {
      method: "PUT", headers: this.headers(true), body: body, keepalive: !!keepalive, credentials: "omit"
    }).catch(function () {});
  };

  Cmi5.prototype.report = function (state, verdict, allowed) {
    var s = this.stored, ld = s.launchData || {};
    var mode = ld.launchMode || "Normal"; // Browse and Review: no completed, passed or failed
    var elapsed = isoDuration(Date.now() - (s.startedAt || Date.now()));
    if (mode === "Normal") {
      if (allowed.completion && verdict.completed && !state.c) {
        state.c = true;
        this.send("completed", { completion: true, duration: elapsed }, true);
      }
      if (allowed.success && state.a && state.q !== null && verdict.success !== "unknown" && !state.p) {
        var masteryScaled = typeof ld.masteryScore === "number" ? ld.masteryScore : null;
        var result = { success: verdict.success === "passed", duration: elapsed };
        if (allowed.score) result.score = { scaled: round(state.q / 100, 4), raw: round(state.q, 2), min: 0, max: 100 };
        if (verdict.success === "passed") {
          state.p = true; // one "passed" a registration
          this.send("passed", result, true, masteryScaled);
        } else if (!s.failedSent) {
          s.failedSent = true; // at most one "failed" a session, never after "passed"
          persistCmi5(this);
          this.send("failed", result, true, masteryScaled);
        }
      }
    }
  };

  Cmi5.prototype.commit = function (state) { this.saveProgress(state, true); };

  Cmi5.prototype.finish = function (startedAt, state) {
    var s = this.stored;
    if (s.terminated) return;
    s.terminated = true;
    persistCmi5(this);
    this.saveProgress(state, true);
    this.send("terminated", { duration: isoDuration(Date.now() - (s.startedAt || startedAt)) });
  };

  function persistCmi5(cmi5) {
    var data = sessionData();
    data.cmi5 = { launch: cmi5.launch, stored: cmi5.stored };
    saveSession(data);
  }

  /* ---------------------------------------------------------------- finding the LMS */

  async function connect() {
    var launch = cmi5Launch(), data = sessionData();
    if (launch) {
      // A new launch (new fetch URL) is a new session; the same one is a page reload.
      var same = data.cmi5 && data.cmi5.launch && data.cmi5.launch.fetch === launch.fetch;
      var stored = same ? data.cmi5.stored : {};
      return { lms: new Cmi5(launch, stored) };
    }
    if (data.cmi5 && data.cmi5.launch) {
      return { lms: new Cmi5(data.cmi5.launch, data.cmi5.stored || {}) }; // another page of the AU
    }
    var api2004 = findAPI("API_1484_11"), api12 = findAPI("API");
    if (!api2004 && !api12) return null;
    var config = await loadConfig();
    var prefer12 = config && config.standard === "scorm12";
    var lms = api12 && (prefer12 || !api2004) ? new Scorm("scorm12", api12) : new Scorm("scorm2004", api2004);
    return { lms: lms, config: config };
  }

  async function loadConfig() {
    var data = sessionData();
    if (data.config) return data.config;
    try {
      var r = await fetch(CONFIG_URL, { credentials: "same-origin", cache: "no-cache" });
      data.config = r.ok ? await r.json() : {};
    } catch (e) {
      data.config = {};
    }
    saveSession(Object.assign(sessionData(), { config: data.config }));
    return data.config;
  }

  /* ---------------------------------------------------------------- the LMS session */

  function LmsRuntime(lms, config, mastery, state) {
    this.lms = lms;
    this.config = config;
    this.mastery = config.mastery !== null ? config.mastery : null;
    if (mastery !== null && mastery !== undefined) this.mastery = mastery; // the LMS's own score wins
    this.state = state;
    this.finished = false;
  }

  LmsRuntime.prototype.verdict = function () {
    return judge(this.config, this.state, this.mastery);
  };

  /* A page of this package: one of its pages, or a page outside every module (help, glossary). */
  LmsRuntime.prototype.within = function (key) {
    var folder = folderOf(key);
    return this.config.pages.indexOf(key) >= 0 || folder === null || folder === folderOf(this.config.pages[0]);
  };

  LmsRuntime.prototype.view = function (key) {
    if (this.config.pages.indexOf(key) < 0) return;
    if (this.state.s.indexOf(key) < 0) this.state.s.push(key);
    this.state.l = key;
    this.state.t = pageTitle();
    this.report();
  };

  LmsRuntime.prototype.score = function (detail) {
    if (!detail || !detail.complete || !(detail.total > 0)) return;
    if (this.config.module && detail.module && detail.module !== this.config.module) return;
    var percent = round(100 * detail.points / detail.total, 2);
    this.state.a = true;
    // The best attempt counts: a retry never lowers a result.
    this.state.q = this.state.q === null ? percent : Math.max(this.state.q, percent);
    this.report();
  };

  LmsRuntime.prototype.report = function () {
    this.lms.report(this.state, this.verdict(), this.config.report);
    this.lms.commit(this.state);
  };

  LmsRuntime.prototype.hide = function (leaving) {
    if (this.finished) return;
    this.lms.report(this.state, this.verdict(), this.config.report);
    if (leaving) {
      this.finished = true;
      this.lms.finish(sessionData().startedAt || Date.now(), this.state);
      var data = sessionData(); // as finish left it (cmi5 notes "terminated" there)
      delete data.startedAt;
      delete data.within;
      delete data.live;
      delete data.launched;
      saveSession(data);
    } else {
      this.lms.commit(this.state);
    }
  };

  /* ---------------------------------------------------------------- progress in this browser */

  var local = storageOf("localStorage");

  function localState() {
    var data = local ? readJSON(local, LOCAL_KEY) : null;
    if (!data || data.v !== 1 || typeof data.seen !== "object" || !data.seen) {
      data = { v: 1, seen: {}, last: "", lastIn: {} };
    }
    if (!data.lastIn || typeof data.lastIn !== "object") data.lastIn = {};
    return data;
  }

  function recordLocal(modules, key) {
    if (!local) return null;
    var data = localState();
    var module = moduleOfKey(modules, key);
    if (module) { // only module pages count: visiting the home page alone stores nothing
      data.seen[key] = pageTitle();
      data.last = key;
      data.lastIn[module.folder] = key;
      writeJSON(local, LOCAL_KEY, data);
    }
    return data;
  }

  /* ---------------------------------------------------------------- what the reader sees */

  function progressLine(module, seenCount) {
    var box = el("p", "course-progress");
    box.setAttribute("data-course-progress", module.folder);
    var bar = el("span", "course-progress__bar");
    bar.setAttribute("aria-hidden", "true");
    var fill = el("span", "course-progress__fill");
    fill.style.width = Math.round(100 * seenCount / module.pages.length) + "%";
    bar.appendChild(fill);
    box.appendChild(bar);
    var done = seenCount >= module.pages.length;
    box.appendChild(el("span", "course-progress__text", done
      ? "All " + module.pages.length + " pages seen"
      : seenCount + " of " + module.pages.length + " pages seen"));
    return box;
  }

  function continueLink(key, title, where) {
    var p = el("p", "course-continue");
    p.setAttribute("data-course-continue", "");
    var a = el("a", "md-button md-button--primary");
    a.href = hrefOf(key);
    a.textContent = "Continue where you left off: " + (title || key);
    p.appendChild(a);
    if (where) p.appendChild(el("span", "course-continue__where", where));
    return p;
  }

  function clearUi() {
    var old = document.querySelectorAll("[data-course-progress], [data-course-continue], [data-course-forget], [data-course-lms-note]");
    for (var i = 0; i < old.length; i++) old[i].remove();
  }

  function afterTitle(node) {
    var h1 = document.querySelector(".md-content h1, article h1");
    if (h1 && h1.parentNode) h1.parentNode.insertBefore(node, h1.nextSibling);
  }

  /* Home page: a bar on each module's card and a link to the last page read.
     Module overview: the module's bar and a link to the last page read in it. */
  function showProgress(modules, key, seenOf, last) {
    clearUi();
    var module = moduleOfKey(modules, key);
    var isHome = key === "";
    if (isHome) {
      var cards = document.querySelectorAll(".md-content .grid.cards li");
      modules.forEach(function (m) {
        var count = m.pages.filter(seenOf).length;
        if (!count) return;
        for (var i = 0; i < cards.length; i++) {
          var link = cards[i].querySelector("a[href]");
          if (link && keyOf(link.href) === m.pages[0]) {
            cards[i].appendChild(progressLine(m, count));
            break;
          }
        }
      });
      if (last.key && last.key !== key) {
        var lm = moduleOfKey(modules, last.key);
        var block = continueLink(last.key, last.title, lm ? " (" + lm.title + ")" : "");
        afterTitle(block);
        if (last.forget) {
          var forget = el("button", "md-button course-forget", "Forget my progress");
          forget.type = "button";
          forget.setAttribute("data-course-forget", "");
          forget.addEventListener("click", safe(last.forget));
          var note = el("p", "course-progress__note", "Your progress is kept in this browser only. ");
          note.setAttribute("data-course-forget", "");
          note.appendChild(forget);
          block.parentNode.insertBefore(note, block.nextSibling);
        }
      }
    } else if (module && key === module.pages[0]) {
      var wrap = document.createDocumentFragment();
      var lastHere = last.inModule(module);
      if (lastHere && lastHere.key !== key) wrap.appendChild(continueLink(lastHere.key, lastHere.title, ""));
      wrap.appendChild(progressLine(module, module.pages.filter(seenOf).length));
      afterTitle(wrap);
    } else if (last.resume && last.key && last.key !== key) {
      afterTitle(continueLink(last.key, last.title, "")); // the first page of a resumed LMS session
    }
  }

  function showLocal(modules, key) {
    if (!local) return;
    var data = localState(); // as it was before this visit: "continue" points at the page before
    var now = recordLocal(modules, key) || data;
    var seenOf = function (p) { return Object.prototype.hasOwnProperty.call(now.seen, p); };
    showProgress(modules, key, seenOf, {
      key: data.last,
      title: data.seen[data.last] || "",
      inModule: function (m) {
        var k = data.lastIn[m.folder];
        return k ? { key: k, title: data.seen[k] || "" } : null;
      },
      forget: function () {
        writeJSON(local, LOCAL_KEY, null);
        clearUi();
      }
    });
  }

  function showLms(runtime, key, state, resumed) {
    var module = { title: "", pages: runtime.config.pages, folder: folderOf(runtime.config.pages[0]) || "" };
    var seen = state.s.concat(runtime.state.s);
    var mods = [module];
    var seenOf = function (p) { return seen.indexOf(p) >= 0; };
    var last = {
      key: state.l, title: state.t, resume: resumed,
      inModule: function () { return state.l ? { key: state.l, title: state.t } : null; }
    };
    showProgress(mods, key, seenOf, last);
    var quiz = document.querySelector(".course-quiz");
    if (quiz) {
      var note = el("p", "course-quiz__lms-note",
        "Your learning platform gets your score when you press Show my score. Your answers stay on this device.");
      note.setAttribute("data-course-lms-note", "");
      quiz.parentNode.insertBefore(note, quiz);
    }
  }

  /* ---------------------------------------------------------------- start */

  function onEveryPage(fn) {
    if (typeof window.document$ !== "undefined" && window.document$ && window.document$.subscribe) {
      window.document$.subscribe(safe(fn));
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", safe(fn));
    } else {
      safe(fn)();
    }
  }

  async function start() {
    var modules = readStructure();
    var found = await connect();
    if (!found) {
      onEveryPage(function () { showLocal(modules, keyOf(location.href)); });
      return;
    }
    var lms = found.lms;
    var key = keyOf(location.href);
    var status = await lms.start();
    if (!status) return; // an LMS is there but will not talk: leave the page alone, store nothing
    var raw = found.config !== undefined ? found.config : await loadConfig();
    var data = sessionData();
    // The module this session is about: where it was launched (a later page may be the help page).
    var config = normaliseConfig(raw, modules, status === "continued" && data.launched ? data.launched : key);
    if (status === "new" || !data.launched) data.launched = config.pages[0];
    var loaded = lms.load();
    if (status === "new" || !data.startedAt) data.startedAt = Date.now();
    data.live = true;
    delete data.within;
    saveSession(data);
    var runtime = new LmsRuntime(lms, config, loaded.mastery, loaded.state);
    watchNavigation(function (k) { return runtime.within(k); });
    var resumed = status === "new" && runtime.state.l !== "";
    var first = true;
    onEveryPage(function () {
      var k = keyOf(location.href);
      var before = JSON.parse(JSON.stringify(runtime.state)); // "continue" points at the page before
      runtime.view(k);
      showLms(runtime, k, before, resumed && first);
      first = false;
    });
    document.addEventListener("course:quiz-score", safe(function (event) { runtime.score(event.detail); }));
    window.addEventListener("pagehide", safe(function () { runtime.hide(!leavingForAnotherPage()); }));
    document.addEventListener("visibilitychange", safe(function () {
      if (document.visibilityState === "hidden") runtime.hide(false);
    }));
    window.addEventListener("pageshow", safe(function (event) {
      // Back from the browser's page cache after the session ended: nothing more to report.
      if (event.persisted && runtime.finished) clearUi();
    }));
  }

  try {
    start().catch(function () {});
  } catch (e) {
    /* never break the page */
  }
})();
