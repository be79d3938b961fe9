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
    // Glossary terms can be reached with the keyboard; focus shows their tooltip.
    var terms = document.querySelectorAll(".md-content abbr");
    for (var j = 0; j < terms.length; j++) {
      if (!terms[j].hasAttribute("tabindex")) terms[j].setAttribute("tabindex", "0");
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
