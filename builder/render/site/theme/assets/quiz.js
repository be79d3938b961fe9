/* Self-check quizzes: immediate feedback, a score, and retry.
 *
 * builder/render/site/quiz.py writes the questions as plain HTML form controls and the answers
 * as JSON in the data-answers attribute. Plain JavaScript: no framework, no network,
 * nothing stored. "Show my score" also dispatches `course:quiz-score` on the document with the
 * score (points, total, counts) for lms-runtime.js; no answer is in it. Works with mkdocs-material's instant navigation (document$) and without it.
 */
(function () {
  "use strict";

  var RIGHT = "Right.";
  var WRONG = "Not right.";

  function normalise(text, caseSensitive) {
    var s = String(text);
    if (s.normalize) s = s.normalize("NFKC");
    s = s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"')
      .replace(/\s+/g, " ").trim().replace(/[.!?,;:]+$/, "");
    return caseSensitive ? s : s.toLowerCase();
  }

  function el(tag, className, html) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (html) node.innerHTML = html;
    return node;
  }

  /* Live regions announce changes; set the text after clearing it so a repeat is heard. */
  function announce(region, build) {
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = "";
      build(region);
    }, 60);
  }

  function Question(section, data) {
    this.el = section;
    this.id = section.getAttribute("data-qid");
    this.type = section.getAttribute("data-type");
    this.data = data;
    this.feedback = section.querySelector(".course-quiz__feedback");
    this.firstTry = null;
    this.graded = this.type !== "reflection";
  }

  Question.prototype.clearMarks = function () {
    var nodes = this.el.querySelectorAll(".is-correct, .is-wrong");
    for (var i = 0; i < nodes.length; i++) nodes[i].classList.remove("is-correct", "is-wrong");
    var fbs = this.el.querySelectorAll(".course-quiz__option-feedback");
    for (var j = 0; j < fbs.length; j++) { fbs[j].hidden = true; fbs[j].innerHTML = ""; }
    var results = this.el.querySelectorAll(".course-quiz__match-result, .course-quiz__item-result");
    for (var k = 0; k < results.length; k++) results[k].textContent = "";
    var selects = this.el.querySelectorAll("select[aria-invalid]");
    for (var m = 0; m < selects.length; m++) selects[m].removeAttribute("aria-invalid");
  };

  Question.prototype.checkedValues = function () {
    var inputs = this.el.querySelectorAll("input:checked");
    var out = [];
    for (var i = 0; i < inputs.length; i++) out.push(inputs[i].value);
    return out;
  };

  function markOption(li, ok, html) {
    li.classList.add(ok ? "is-correct" : "is-wrong");
    var fb = li.querySelector(".course-quiz__option-feedback");
    fb.innerHTML = "<strong>" + (ok ? RIGHT : WRONG) + "</strong> " + (html || "");
    fb.hidden = false;
  }

  function mark(span, ok, rightText, wrongText) {
    span.textContent = ok ? "\u2713 " + rightText : "\u2717 " + wrongText;
    span.className = span.className.replace(/ course-quiz__mark--\w+/g, "") +
      (ok ? " course-quiz__mark--ok" : " course-quiz__mark--bad");
  }

  /* Grade the current answer. `show` also marks options and rows on the page. */
  Question.prototype.grade = function (show) {
    var d = this.data, q = this, i;
    var result = { answered: false, correct: false, detail: "" };
    if (show) this.clearMarks();
    if (this.type === "single" || this.type === "multiple") {
      var chosen = this.checkedValues().map(Number);
      result.answered = chosen.length > 0;
      var right = 0, wrong = 0, total = 0;
      d.options.forEach(function (o, k) {
        if (o.correct) total++;
        if (chosen.indexOf(k) < 0) return;
        if (o.correct) right++; else wrong++;
        if (show) markOption(document.getElementById(q.id + "-o" + k).parentNode, o.correct, o.feedback);
      });
      result.correct = result.answered && wrong === 0 && right === total;
      if (this.type === "multiple" && result.answered && !result.correct) {
        result.detail = "You chose " + right + " of the " + total + " right answers" +
          (wrong ? " and " + wrong + " that " + (wrong === 1 ? "is" : "are") + " not right." : ".");
      }
    } else if (this.type === "true_false") {
      var value = this.checkedValues()[0];
      result.answered = value !== undefined;
      result.correct = value === d.answer;
      if (show && result.answered) {
        markOption(document.getElementById(this.id + "-" + value).parentNode, result.correct,
          d.option_feedback[value]);
      }
    } else if (this.type === "short_answer") {
      var text = this.el.querySelector("input[type=text]").value;
      result.answered = normalise(text, true) !== "";
      var given = normalise(text, d.case_sensitive);
      result.correct = result.answered && d.accepted.some(function (a) {
        return normalise(a, d.case_sensitive) === given;
      });
    } else if (this.type === "matching") {
      var selects = this.el.querySelectorAll("select");
      var done = 0, good = 0;
      for (i = 0; i < selects.length; i++) {
        if (!selects[i].value) continue;
        done++;
        var ok = selects[i].value === d.answers[i];
        if (ok) good++;
        if (show) {
          mark(document.getElementById(selects[i].id + "-fb"), ok, "Right match", "Not the right match");
          if (!ok) selects[i].setAttribute("aria-invalid", "true");
        }
      }
      result.answered = done === selects.length;
      result.correct = result.answered && good === selects.length;
      if (!result.answered && done) result.partial = "Choose a match for every item, then check again.";
      else if (!result.correct) result.detail = good + " of " + selects.length + " matches are right.";
    } else if (this.type === "ordering") {
      var items = this.el.querySelectorAll(".course-quiz__item");
      var placed = 0;
      for (i = 0; i < items.length; i++) {
        var inPlace = items[i].getAttribute("data-item") === d.order[i];
        if (inPlace) placed++;
        if (show) mark(items[i].querySelector(".course-quiz__item-result"), inPlace,
          "In the right place", "Not in the right place");
      }
      result.answered = true;
      result.correct = placed === items.length;
      if (!result.correct) result.detail = placed + " of " + items.length + " items are in the right place.";
    }
    return result;
  };

  Question.prototype.check = function () {
    var r = this.grade(true), d = this.data, fb = this.feedback;
    if (!r.answered) {
      this.clearMarks();
      fb.className = "course-quiz__feedback";
      announce(fb, function (region) {
        var p = el("p", "course-quiz__verdict");
        p.textContent = r.partial || "Choose or type an answer first, then press Check answer.";
        region.appendChild(p);
      });
      return r;
    }
    if (this.firstTry === null) this.firstTry = r.correct;
    fb.className = "course-quiz__feedback " + (r.correct ? "is-correct" : "is-wrong");
    announce(fb, function (region) {
      var verdict = el("p", "course-quiz__verdict");
      verdict.textContent = r.correct ? "\u2713 Correct." : "\u2717 Not quite.";
      if (r.detail) verdict.textContent += " " + r.detail;
      if (!r.correct) verdict.textContent += " Change your answer and check again.";
      region.appendChild(verdict);
      var extra = r.correct ? d.feedback.correct : d.feedback.incorrect;
      if (extra) region.appendChild(el("p", "", extra));
      if (d.feedback.general) region.appendChild(el("p", "", d.feedback.general));
    });
    return r;
  };

  Question.prototype.reset = function () {
    this.clearMarks();
    var inputs = this.el.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].type === "radio" || inputs[i].type === "checkbox") inputs[i].checked = false;
      else inputs[i].value = "";
    }
    if (this.type === "ordering") {
      var list = this.el.querySelector(".course-quiz__order");
      var byId = {};
      Array.prototype.forEach.call(list.children, function (li) { byId[li.getAttribute("data-item")] = li; });
      this.data.start.forEach(function (key) { list.appendChild(byId[key]); });
      updateMoveButtons(list);
    }
    var model = this.el.querySelector(".course-quiz__model");
    if (model) {
      model.hidden = true;
      var button = this.el.querySelector("[data-quiz-action=model]");
      button.setAttribute("aria-expanded", "false");
      button.textContent = "Show model answer";
    }
    this.feedback.textContent = "";
    this.feedback.className = "course-quiz__feedback";
    this.firstTry = null;
  };

  Question.prototype.toggleModel = function (button) {
    var model = document.getElementById(button.getAttribute("aria-controls"));
    if (!model.innerHTML) model.innerHTML = "<p><strong>Model answer</strong></p>" + this.data.model;
    var open = model.hidden;
    model.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide model answer" : "Show model answer";
  };

  function updateMoveButtons(list) {
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      items[i].querySelector("[data-quiz-action=up]").disabled = i === 0;
      items[i].querySelector("[data-quiz-action=down]").disabled = i === items.length - 1;
    }
  }

  Question.prototype.move = function (button, up) {
    var li = button.closest("li"), list = li.parentNode;
    var other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    if (up) list.insertBefore(li, other); else list.insertBefore(other, li);
    this.clearMarks();
    updateMoveButtons(list);
    // Keep the keyboard where it was: on the same button, or its partner if this one is now off.
    (button.disabled ? li.querySelector(up ? "[data-quiz-action=down]" : "[data-quiz-action=up]") : button).focus();
    var pos = Array.prototype.indexOf.call(list.children, li) + 1;
    var text = li.querySelector(".course-quiz__item-text").textContent;
    var status = this.el.querySelector(".course-quiz__moved");
    announce(status, function (region) {
      region.textContent = "\u201c" + text + "\u201d is now number " + pos + " of " + list.children.length + ".";
    });
  };

  function Quiz(root) {
    var data = JSON.parse(root.getAttribute("data-answers"));
    this.root = root;
    this.total = data.total;
    this.questions = [];
    this.byId = {};
    var sections = root.querySelectorAll(".course-quiz__q");
    for (var i = 0; i < sections.length; i++) {
      var q = new Question(sections[i], data.questions[sections[i].getAttribute("data-qid")]);
      this.questions.push(q);
      this.byId[q.id] = q;
      if (q.type === "ordering") updateMoveButtons(sections[i].querySelector(".course-quiz__order"));
    }
    this.score = root.querySelector(".course-quiz__score");
    root.addEventListener("click", this.onClick.bind(this));
    root.addEventListener("change", function (event) {
      // A changed answer makes earlier marks and feedback stale.
      var section = event.target.closest(".course-quiz__q");
      if (!section || event.target.matches("textarea")) return;
      var q = this.byId[section.getAttribute("data-qid")];
      q.clearMarks();
      q.feedback.textContent = "";
      q.feedback.className = "course-quiz__feedback";
    }.bind(this));
    root.addEventListener("keydown", function (event) {
      // Enter in a short-answer box checks it (there is no form to submit).
      if (event.key === "Enter" && event.target.matches("input[type=text]")) {
        event.preventDefault();
        var section = event.target.closest(".course-quiz__q");
        this.byId[section.getAttribute("data-qid")].check();
      }
    }.bind(this));
  }

  Quiz.prototype.onClick = function (event) {
    var button = event.target.closest("[data-quiz-action]");
    if (!button || !this.root.contains(button)) return;
    var action = button.getAttribute("data-quiz-action");
    if (action === "score") return this.showScore();
    if (action === "retry") return this.retry();
    var q = this.byId[button.closest(".course-quiz__q").getAttribute("data-qid")];
    if (action === "check") q.check();
    else if (action === "model") q.toggleModel(button);
    else if (action === "up" || action === "down") q.move(button, action === "up");
  };

  Quiz.prototype.showScore = function () {
    var points = 0, right = 0, answered = 0, firstTime = 0, graded = 0, self = this;
    this.questions.forEach(function (q) {
      if (!q.graded) return;
      graded++;
      var r = q.grade(false);
      if (r.answered && q.type !== "ordering") answered++;
      if (q.type === "ordering" && (r.correct || q.firstTry !== null)) answered++;
      if (r.correct) { right++; points += q.data.points; }
      if (q.firstTry) firstTime++;
    });
    var missing = graded - answered;
    // For the page runtime (lms-runtime.js): the score only, never an answer. It reports the
    // score to a learning platform that launched the course, and does nothing on the plain site.
    try {
      document.dispatchEvent(new CustomEvent("course:quiz-score", { detail: {
        module: this.root.getAttribute("data-quiz"), points: points, total: this.total,
        graded: graded, answered: answered, right: right, complete: missing === 0 } }));
    } catch (e) { /* an old browser without CustomEvent: no report */ }
    announce(this.score, function (region) {
      region.textContent = "Your score: " + fmt(points) + " out of " + fmt(self.total) + " points (" +
        right + " of " + graded + " questions right" +
        (firstTime ? ", " + firstTime + " of them at the first try" : "") + ")." +
        (missing ? " " + missing + (missing === 1 ? " question is" : " questions are") + " not answered yet." : "") +
        " Press Try again to start over.";
    });
  };

  function fmt(n) { return String(Math.round(n * 100) / 100); }

  Quiz.prototype.retry = function () {
    this.questions.forEach(function (q) { q.reset(); });
    var first = this.root.querySelector(".course-quiz__q input, .course-quiz__q select, .course-quiz__q button");
    announce(this.score, function (region) {
      region.textContent = "Your answers are cleared. Start again from question 1.";
    });
    if (first) first.focus();
  };

  function init() {
    var roots = document.querySelectorAll(".course-quiz:not([data-ready])");
    for (var i = 0; i < roots.length; i++) {
      roots[i].setAttribute("data-ready", "");
      new Quiz(roots[i]);
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
