// The editors' workspace: scroll the OCR source to the article's title, and on the
// split page suggest a title for the new article when a cut point is chosen.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const source = document.querySelector(".nr-source .nr-source-text");
  const mark = source && source.querySelector("mark");
  if (mark) {
    source.scrollTop = Math.max(0, mark.offsetTop - source.offsetTop - 40);
  }
  const title = document.querySelector(".nr-split-form input[name=title]");
  if (title) {
    let suggested = title.value;
    document.querySelectorAll(".nr-split-form input[name=block]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        // Only replace a title the editor has not typed over.
        if (title.value === suggested) {
          title.value = radio.dataset.title;
        }
        suggested = radio.dataset.title;
      });
    });
  }
});
