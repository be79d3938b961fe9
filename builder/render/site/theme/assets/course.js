/* Small page fixes that must run on every page, also after instant navigation. */
(function () {
  "use strict";

  function pageLoaded() {
    // The header is not re-rendered by instant navigation, so a relative "Get help now" link
    // would point at the wrong place after moving to a deeper page: pin it to its full URL.
    var links = document.querySelectorAll("a[data-course-help]");
    for (var i = 0; i < links.length; i++) {
      if (!links[i].hasAttribute("data-pinned")) {
        links[i].setAttribute("href", links[i].href);
        links[i].setAttribute("data-pinned", "");
      }
    }
    glossaryTerms();
  }

  /* Glossary terms (abbr): explained at their first use on a page, and reachable with the
     keyboard there (focus shows the tooltip). Later uses, and uses in headings, names and
     links, become plain text: a page full of dotted underlines is hard to read. */
  function glossaryTerms() {
    var seen = {};
    var terms = document.querySelectorAll(".md-content abbr");
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (term.hasAttribute("data-course-term")) continue;
      var key = term.textContent.toLowerCase().replace(/s$/, "");
      if (seen[key] || term.closest("h1, h2, h3, h4, h5, h6, strong, a, .admonition-title, summary, label")) {
        term.replaceWith(document.createTextNode(term.textContent));
        continue;
      }
      seen[key] = true;
      term.setAttribute("data-course-term", "");
      term.setAttribute("tabindex", "0");
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(pageLoaded);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", pageLoaded);
  } else {
    pageLoaded();
  }
})();
