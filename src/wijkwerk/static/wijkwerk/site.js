// Folded parts (the main menu, a list's filters) are <details class="wide-open">: closed on a
// phone, always open on a wide screen. site.css shows their content on a wide screen where the
// browser supports ::details-content; this opens them for the others (and marks them, so that
// their summary goes). Without JavaScript they still work: a visitor opens them with the summary.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");

  function openOnWideScreens() {
    if (!wide.matches) {
      return;
    }
    document.querySelectorAll("details.wide-open").forEach(function (details) {
      details.open = true;
      details.classList.add("wide-open--opened");
    });
  }

  openOnWideScreens();
  wide.addEventListener("change", openOnWideScreens);
  // Parts htmx swaps in (a filtered list) are folded the same way.
  document.addEventListener("htmx:afterSettle", openOnWideScreens);
})();
